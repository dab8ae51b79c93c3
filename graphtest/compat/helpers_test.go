package compat_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/go-o365/o365/graphtest"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// The suite's closing note: every operation of every client, with its
// outcome, printed after the tests as a table.
var (
	resultsMu sync.Mutex
	results   = map[string]map[string]bool{} // client -> operation -> passed
)

// op runs one operation of client as a subtest and records its outcome
// for the closing table.
func op(t *testing.T, client, name string, f func(t *testing.T)) {
	t.Helper()
	ok := t.Run(name, f)
	resultsMu.Lock()
	defer resultsMu.Unlock()
	if results[client] == nil {
		results[client] = map[string]bool{}
	}
	results[client][name] = ok
}

func TestMain(m *testing.M) {
	code := m.Run()
	resultsMu.Lock()
	defer resultsMu.Unlock()
	if len(results) > 0 {
		var b strings.Builder
		passed, failed := 0, 0
		b.WriteString("| client | operation | result |\n| --- | --- | --- |\n")
		clients := make([]string, 0, len(results))
		for c := range results {
			clients = append(clients, c)
		}
		sort.Strings(clients)
		for _, c := range clients {
			names := make([]string, 0, len(results[c]))
			for n := range results[c] {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				res := "pass"
				if results[c][n] {
					passed++
				} else {
					res, failed = "FAIL", failed+1
				}
				fmt.Fprintf(&b, "| %s | %s | %s |\n", c, n, res)
			}
		}
		fmt.Fprintf(&b, "compat: %d passed, %d failed\n", passed, failed)
		os.Stdout.WriteString(b.String())
	}
	os.Exit(code)
}

// staticToken is the simplest access-token provider a user of the SDK
// writes: one bearer token, sent only to Graph's host, so it never leaks
// to pre-authenticated upload and download URLs (graphtest refuses those
// requests, as SharePoint and Outlook do).
type staticToken struct {
	token string
	hosts *authentication.AllowedHostsValidator
}

// allowedHosts is kiota's host check for the given host names; fixed names
// that are valid hosts never make it fail.
func allowedHosts(hosts ...string) *authentication.AllowedHostsValidator {
	v, err := authentication.NewAllowedHostsValidatorErrorCheck(hosts)
	if err != nil {
		panic(err)
	}
	return v
}

func newStaticToken(token string) staticToken {
	return staticToken{token: token, hosts: allowedHosts("graph.microsoft.com")}
}

func (s staticToken) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !s.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	return s.token, nil
}

func (s staticToken) GetAllowedHostsValidator() *authentication.AllowedHostsValidator { return s.hosts }

// sdkClient builds msgraph-sdk-go as production code does — the default
// base URL https://graph.microsoft.com/v1.0 and GetDefaultClient's
// middleware (compression, redirect, retry, URL replace, telemetry) —
// only with srv.Client's transport underneath, which trusts the TLS
// server and sends graph.microsoft.com to it.
func sdkClient(t testing.TB, srv *graphtest.Server, token string) (*msgraphsdk.GraphServiceClient, *msgraphsdk.GraphRequestAdapter) {
	t.Helper()
	opts := msgraphsdk.GetDefaultClientOptions()
	httpClient := msgraphgocore.GetDefaultClient(&opts)
	httpClient.Transport = khttp.NewCustomTransportWithParentTransport(srv.Client().Transport,
		msgraphgocore.GetDefaultMiddlewaresWithOptions(&opts)...)
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		authentication.NewBaseBearerTokenAuthenticationProvider(newStaticToken(token)), nil, nil, httpClient)
	if err != nil {
		t.Fatal(err)
	}
	return msgraphsdk.NewGraphServiceClient(adapter), adapter
}

// userScopes are the delegated scopes the suite's tokens carry.
var userScopes = []string{
	"User.Read", "User.ReadBasic.All", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite",
	"Contacts.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All",
}

// tenant is the emulated directory of the suite: Adele signs in, Megan
// receives her mail and invitations.
type tenant struct {
	srv          *graphtest.Server
	adele, megan graphtest.User
}

func newTenant(t testing.TB) *tenant {
	t.Helper()
	srv := graphtest.NewServer(graphtest.WithTLS())
	t.Cleanup(srv.Close)
	te := &tenant{srv: srv}
	te.adele = srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance",
		GivenName: "Adele", Surname: "Vance", Mail: "adele@contoso.com", JobTitle: "Retail Manager", Password: "pa55w0rd!"})
	te.megan = srv.AddUser(graphtest.User{UserPrincipalName: "megan@contoso.com", DisplayName: "Megan Bowen",
		Mail: "megan@contoso.com", JobTitle: "Auditor"})
	srv.SignIn("adele@contoso.com")
	return te
}

func (te *tenant) token(t testing.TB, upn string) string {
	t.Helper()
	tok, err := te.srv.UserToken(upn, userScopes...)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func ptr[T any](v T) *T { return &v }
