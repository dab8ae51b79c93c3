package graphtest_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest"
	"golang.org/x/oauth2"
)

var guid = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func userToken(t *testing.T, srv *graphtest.Server, upn string) string {
	t.Helper()
	tok, err := srv.UserToken(upn, "User.Read")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// checkGraphError asserts r is a Graph error in Graph's exact shape.
func checkGraphError(t *testing.T, r graphResponse, status int, code, message string) {
	t.Helper()
	if r.StatusCode != status || r.errorCode() != code || r.errorMessage() != message {
		t.Fatalf("got %d %q %q, want %d %q %q", r.StatusCode, r.errorCode(), r.errorMessage(), status, code, message)
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	e := r.body["error"].(map[string]any)
	if got := slices.Sorted(maps.Keys(e)); !slices.Equal(got, []string{"code", "innerError", "message"}) {
		t.Errorf("error keys %v", got)
	}
	inner, _ := e["innerError"].(map[string]any)
	if inner["request-id"] != r.Header.Get("request-id") || inner["client-request-id"] != r.Header.Get("client-request-id") {
		t.Errorf("innerError %v does not repeat the request-id headers %v", inner, r.Header)
	}
	if d, _ := inner["date"].(string); !regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`).MatchString(d) {
		t.Errorf("innerError date %q", d)
	}
}

func TestGraphAuthentication(t *testing.T) {
	f := newFixture(t)
	r := get(t, f.srv, "", "/v1.0/me")
	checkGraphError(t, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
	if r.Header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}

	r = get(t, f.srv, "not-a-token", "/v1.0/me")
	checkGraphError(t, r, http.StatusUnauthorized, "InvalidAuthenticationToken", r.errorMessage())
	if !regexp.MustCompile(`^IDX14100: JWT is not well formed`).MatchString(r.errorMessage()) {
		t.Errorf("unknown token message %q", r.errorMessage())
	}

	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	if r := get(t, f.srv, tok, "/v1.0/me"); r.StatusCode != http.StatusOK {
		t.Fatalf("fresh token: %d", r.StatusCode)
	}
	f.srv.ExpireAccessTokens()
	r = get(t, f.srv, tok, "/v1.0/me")
	checkGraphError(t, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")

	// Tokens issued after the expiry are good.
	tok = userToken(t, f.srv, f.adele.UserPrincipalName)
	if r := get(t, f.srv, tok, "/v1.0/me"); r.StatusCode != http.StatusOK {
		t.Fatalf("token issued after ExpireAccessTokens: %d", r.StatusCode)
	}
	f.srv.RevokeAccessTokens(f.adele.UserPrincipalName)
	checkGraphError(t, get(t, f.srv, tok, "/v1.0/me"), http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token has been revoked.")
}

func TestTokenLifetime(t *testing.T) {
	f := newFixture(t)
	f.srv.SetTokenLifetime(2 * time.Hour)
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read"}}
	tok, err := conf.PasswordCredentialsToken(t.Context(), alexUPN, alexPass)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Extra("expires_in"); got != 7200.0 {
		t.Errorf("expires_in = %v, want 7200", got)
	}
}

func TestRequestIDs(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	r := get(t, f.srv, tok, "/v1.0/me")
	if !guid.MatchString(r.Header.Get("request-id")) || !guid.MatchString(r.Header.Get("client-request-id")) {
		t.Errorf("request-id %q, client-request-id %q", r.Header.Get("request-id"), r.Header.Get("client-request-id"))
	}
	again := get(t, f.srv, tok, "/v1.0/me")
	if again.Header.Get("request-id") == r.Header.Get("request-id") {
		t.Error("two requests share a request-id")
	}
	r = get(t, f.srv, tok, "/v1.0/users/nobody", "client-request-id", "my-correlation-id")
	if r.Header.Get("client-request-id") != "my-correlation-id" {
		t.Errorf("client-request-id not echoed: %q", r.Header.Get("client-request-id"))
	}
	checkGraphError(t, r, http.StatusNotFound, "Request_ResourceNotFound", r.errorMessage())
}

func TestUnknownSegment(t *testing.T) {
	f := newFixture(t)
	r := get(t, f.srv, userToken(t, f.srv, f.adele.UserPrincipalName), "/v1.0/me/nope")
	checkGraphError(t, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment 'nope'.")
}

func TestThrottle(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	f.srv.Throttle(2, "3")

	// Injected faults leave the identity platform alone.
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read"}}
	if _, err := conf.PasswordCredentialsToken(t.Context(), alexUPN, alexPass); err != nil {
		t.Fatal(err)
	}

	example := exampleBody(t, "errors.json", "throttling#1")["error"].(map[string]any)
	for range 2 {
		r := get(t, f.srv, tok, "/v1.0/me")
		checkGraphError(t, r, http.StatusTooManyRequests, example["code"].(string), example["message"].(string))
		if r.Header.Get("Retry-After") != "3" {
			t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
		}
		inner := r.body["error"].(map[string]any)["innerError"].(map[string]any)
		for k, v := range example["innerError"].(map[string]any) {
			if _, ok := inner[k]; !ok {
				t.Errorf("innerError lacks %q of Microsoft's example", k)
			}
			if k == "code" || k == "status" || k == "message" {
				if inner[k] != v {
					t.Errorf("innerError %s = %v, want %v", k, inner[k], v)
				}
			}
		}
	}
	if r := get(t, f.srv, tok, "/v1.0/me"); r.StatusCode != http.StatusOK {
		t.Errorf("third request: %d", r.StatusCode)
	}
}

func TestFailNextAndFaultOrder(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	f.srv.FailNext(1, http.StatusServiceUnavailable)
	f.srv.InjectFaults(1, graphtest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: "7"})
	f.srv.InjectFaults(1, graphtest.Fault{Status: http.StatusGatewayTimeout, Code: "UnknownError", Message: "boom"})

	r := get(t, f.srv, tok, "/v1.0/me")
	checkGraphError(t, r, http.StatusServiceUnavailable, "serviceNotAvailable", r.errorMessage())
	if r.Header.Get("Retry-After") != "" {
		t.Errorf("FailNext sent Retry-After %q", r.Header.Get("Retry-After"))
	}
	r = get(t, f.srv, tok, "/v1.0/me")
	checkGraphError(t, r, http.StatusServiceUnavailable, "serviceNotAvailable", r.errorMessage())
	if r.Header.Get("Retry-After") != "7" {
		t.Errorf("Retry-After %q, want 7", r.Header.Get("Retry-After"))
	}
	checkGraphError(t, get(t, f.srv, tok, "/v1.0/me"), http.StatusGatewayTimeout, "UnknownError", "boom")
	if r := get(t, f.srv, tok, "/v1.0/me"); r.StatusCode != http.StatusOK {
		t.Errorf("after the faults: %d", r.StatusCode)
	}
	// Faults come before authentication: the count is of requests, whatever they carry.
	f.srv.FailNext(1, http.StatusInternalServerError)
	checkGraphError(t, get(t, f.srv, "", "/v1.0/me"), http.StatusInternalServerError, "generalException", "There was an internal server error while processing the request.")
}

func TestDropNext(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	f.srv.DropNext(1)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, f.srv.GraphURL()+"/v1.0/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %d", resp.StatusCode)
	}
	if r := get(t, f.srv, tok, "/v1.0/me"); r.StatusCode != http.StatusOK {
		t.Fatalf("after the drop: %d", r.StatusCode)
	}
	log := f.srv.Requests()
	if len(log) != 2 || log[0].Status != 0 || log[1].Status != http.StatusOK {
		t.Errorf("log %+v, want a dropped request (status 0) then a 200", log)
	}
}

func TestDelayRespectsClientCancellation(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	f.srv.SetDelay(time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.GraphURL()+"/v1.0/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	done := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// Give up once the handler holds the request (it counts as in flight
	// before it starts waiting): the server then holds a request whose
	// client is gone.
	for f.srv.PeakInFlightTotal() == 0 {
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	// The handler notices and gives up rather than sleeping an hour; the
	// log entry appears when it returns.
	for len(f.srv.Requests()) == 0 {
		select {
		case <-t.Context().Done():
			return
		case <-time.After(time.Millisecond):
		}
	}
	if st := f.srv.Requests()[0].Status; st != 0 {
		t.Errorf("abandoned request logged with status %d", st)
	}
	f.srv.SetDelay(0)
	if r := get(t, f.srv, tok, "/v1.0/me"); r.StatusCode != http.StatusOK {
		t.Errorf("without delay: %d", r.StatusCode)
	}
}

func TestRequestLog(t *testing.T) {
	f := newFixture(t)
	tok := userToken(t, f.srv, f.adele.UserPrincipalName)
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read"}}
	if _, err := conf.PasswordCredentialsToken(t.Context(), alexUPN, alexPass); err != nil {
		t.Fatal(err) // an identity request, which the log leaves out
	}
	get(t, f.srv, tok, "/v1.0/users?$top=1", "X-Test", "yes")
	get(t, f.srv, app, "/v1.0/users/"+alexUPN)
	get(t, f.srv, "", "/v1.0/me")

	log := f.srv.Requests()
	if len(log) != 3 {
		t.Fatalf("log has %d entries, want 3", len(log))
	}
	want := []graphtest.Request{
		{Method: "GET", Path: "/v1.0/users", RawQuery: "$top=1", Caller: f.adele.UserPrincipalName, Status: 200},
		{Method: "GET", Path: "/v1.0/users/" + alexUPN, Caller: daemonID, Status: 200},
		{Method: "GET", Path: "/v1.0/me", Caller: "", Status: 401},
	}
	for i, w := range want {
		g := log[i]
		if g.Method != w.Method || g.Path != w.Path || g.RawQuery != w.RawQuery || g.Caller != w.Caller || g.Status != w.Status {
			t.Errorf("log[%d] = %+v, want %+v", i, g, w)
		}
	}
	if log[0].Header.Get("X-Test") != "yes" {
		t.Errorf("header not logged: %v", log[0].Header)
	}
	log[0].Header.Set("X-Test", "changed")
	if f.srv.Requests()[0].Header.Get("X-Test") != "yes" {
		t.Error("Requests shares its headers with the caller")
	}
	if _, err := f.srv.UserToken("nobody"); err == nil {
		t.Error("UserToken of an unknown user succeeded")
	}
	if _, err := f.srv.AppToken("nobody"); err == nil {
		t.Error("AppToken of an unknown app succeeded")
	}
}

// TestConcurrentUse runs many clients at once; with -race it checks the
// server's locking.
func TestConcurrentUse(t *testing.T) {
	f := newFixture(t)
	for i := range 20 {
		f.srv.AddUser(graphtest.User{UserPrincipalName: fmt.Sprintf("user%d@contoso.onmicrosoft.com", i), Password: "pw"})
	}
	conf := &oauth2.Config{ClientID: cliClientID, Endpoint: f.endpoint(), Scopes: []string{"User.Read", "offline_access"}}
	const workers = 128
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for i := range workers {
		wg.Go(func() {
			upn := fmt.Sprintf("user%d@contoso.onmicrosoft.com", i%20)
			tok, err := conf.PasswordCredentialsToken(t.Context(), upn, "pw")
			if err != nil {
				errs <- err
				return
			}
			if tok, err = conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil {
				errs <- err
				return
			}
			for _, path := range []string{"/v1.0/me", "/v1.0/users?$top=5", "/v1.0/users/" + upn} {
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, f.srv.GraphURL()+path, nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("%s: %d", path, resp.StatusCode)
				}
			}
			f.srv.Requests()
			f.srv.TokenRequests(graphtest.GrantRefreshToken)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(f.srv.Requests()); n != workers*3 {
		t.Errorf("%d requests logged, want %d", n, workers*3)
	}
	if n := f.srv.TokenRequests(graphtest.GrantRefreshToken); n != workers {
		t.Errorf("%d refreshes counted, want %d", n, workers)
	}
}
