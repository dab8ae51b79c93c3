package graphtest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/go-o365/o365/graphtest"
)

// batchResult is a decoded $batch answer.
type batchResult struct {
	status    int
	header    http.Header
	responses []batchResponse
	err       map[string]any // the error object of a refused batch
}

type batchResponse struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// byID finds a response, failing the test when it is missing.
func (r batchResult) byID(t *testing.T, id string) batchResponse {
	t.Helper()
	for _, resp := range r.responses {
		if resp.ID == id {
			return resp
		}
	}
	t.Fatalf("no response for id %s in %+v", id, r.responses)
	return batchResponse{}
}

func (b batchResponse) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b.Body, &m); err != nil {
		t.Fatalf("response %s: body %s is not a JSON object: %v", b.ID, b.Body, err)
	}
	return m
}

func (b batchResponse) errorCode(t *testing.T) string {
	e, _ := b.object(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// postBatch sends body to POST /v1.0/$batch with token.
func postBatch(t *testing.T, srv *graphtest.Server, token, body string) batchResult {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.GraphURL()+"/v1.0/$batch", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := batchResult{status: resp.StatusCode, header: resp.Header}
	var doc struct {
		Responses []batchResponse `json:"responses"`
		Error     map[string]any  `json:"error"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("$batch answered %d with a body that is not JSON: %v: %s", resp.StatusCode, err, raw)
	}
	out.responses, out.err = doc.Responses, doc.Error
	return out
}

func batchDoc(parts ...map[string]any) string {
	raw, _ := json.Marshal(map[string]any{"requests": parts})
	return string(raw)
}

func adeleToken(t *testing.T, f *fixture) string {
	t.Helper()
	tok, err := f.srv.UserToken(f.adele.UserPrincipalName, "User.Read")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// ranOrder lists the ids of the requests batch n ran, in order.
func ranOrder(srv *graphtest.Server, n int) []string {
	var out []string
	for _, r := range srv.BatchRequests() {
		if r.Batch == n {
			out = append(out, r.ID)
		}
	}
	return out
}

// exampleRequestBody returns the request body of example id in
// testdata/batch.json, with Microsoft's "..." URLs replaced by url.
func exampleRequestBody(t *testing.T, id, url string) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/batch.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Examples []struct {
			ID          string          `json:"id"`
			RequestBody json.RawMessage `json:"request_body"`
		} `json:"examples"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range doc.Examples {
		if e.ID == id {
			return strings.ReplaceAll(string(e.RequestBody), `"..."`, `"`+url+`"`)
		}
	}
	t.Fatalf("no example %s", id)
	return ""
}

// TestBatchDependsOnExamples runs the dependsOn bodies of Microsoft's
// JSON batching page: requests wait for those they depend on, whatever
// order they are listed in.
func TestBatchDependsOnExamples(t *testing.T) {
	f := newFixture(t)
	tok := adeleToken(t, f)
	for i, tc := range []struct {
		example string
		want    []string
	}{
		{"json-batching#2", []string{"1", "2", "3", "4"}},
		{"json-batching.contrib#2", []string{"1", "2", "4", "3"}},
	} {
		res := postBatch(t, f.srv, tok, exampleRequestBody(t, tc.example, "/me"))
		if res.status != http.StatusOK || len(res.responses) != 4 {
			t.Fatalf("%s: status %d, %d responses, want 200 and 4", tc.example, res.status, len(res.responses))
		}
		for _, r := range res.responses {
			if r.Status != 200 || r.object(t)["id"] != f.adele.ID {
				t.Errorf("%s: response %s = %d %s, want Adele's profile", tc.example, r.ID, r.Status, r.Body)
			}
		}
		if got := ranOrder(f.srv, i+1); !slices.Equal(got, tc.want) {
			t.Errorf("%s ran %v, want %v", tc.example, got, tc.want)
		}
	}

	// A dependency listed after its dependent runs first.
	res := postBatch(t, f.srv, tok, batchDoc(
		map[string]any{"id": "late", "method": "GET", "url": "/me", "dependsOn": []string{"early"}},
		map[string]any{"id": "early", "method": "GET", "url": "/me"},
	))
	if res.status != 200 {
		t.Fatalf("status %d", res.status)
	}
	if got := ranOrder(f.srv, 3); !slices.Equal(got, []string{"early", "late"}) {
		t.Errorf("ran %v, want early before late", got)
	}
	// Responses come in no promised order: here, the reverse of the runs.
	if got := []string{res.responses[0].ID, res.responses[1].ID}; !slices.Equal(got, []string{"late", "early"}) {
		t.Errorf("responses listed %v", got)
	}
}

// TestBatchAnswersLikeGraph: each response has Graph's status, headers
// and body, the body inline as JSON.
func TestBatchAnswersLikeGraph(t *testing.T) {
	f := newFixture(t)
	res := postBatch(t, f.srv, adeleToken(t, f), batchDoc(
		map[string]any{"id": "1", "method": "GET", "url": "/me?$select=displayName"},
		map[string]any{"id": "2", "method": "get", "url": "users/" + alexUPN},
		map[string]any{"id": "3", "method": "GET", "url": "/users/nobody@contoso.com"},
		map[string]any{"id": "4", "method": "GET", "url": "/users?$top=1&$select=id", "headers": map[string]string{"ConsistencyLevel": "eventual"}},
		map[string]any{"id": "5", "method": "GET", "url": "/nowhere"},
	))
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || res.header.Get("request-id") == "" {
		t.Fatalf("batch answered %d %v", res.status, res.header)
	}
	me := res.byID(t, "1")
	if me.Status != 200 || !strings.HasPrefix(me.Headers["Content-Type"], "application/json;odata.metadata=minimal") {
		t.Errorf("response 1: %d %v", me.Status, me.Headers)
	}
	if got := me.object(t); got["displayName"] != f.adele.DisplayName || got["@odata.context"] != f.srv.GraphURL()+"/v1.0/$metadata#users(displayName)/$entity" {
		t.Errorf("response 1 body = %v", got)
	}
	if _, ok := me.Headers["Request-Id"]; ok {
		t.Errorf("request ids belong to the batch, not its parts: %v", me.Headers)
	}
	if got := res.byID(t, "2").object(t)["userPrincipalName"]; got != alexUPN {
		t.Errorf("response 2: %v", got)
	}
	missing := res.byID(t, "3")
	if missing.Status != 404 || missing.errorCode(t) != "Request_ResourceNotFound" {
		t.Errorf("response 3: %d %s", missing.Status, missing.Body)
	}
	inner, _ := missing.object(t)["error"].(map[string]any)["innerError"].(map[string]any)
	if inner["request-id"] == "" || inner["date"] == "" {
		t.Errorf("response 3 error has no innerError ids: %v", inner)
	}
	page := res.byID(t, "4").object(t)
	if next, _ := page["@odata.nextLink"].(string); !strings.HasPrefix(next, f.srv.GraphURL()+"/v1.0/users?") {
		t.Errorf("response 4 nextLink %q", next)
	}
	if nowhere := res.byID(t, "5"); nowhere.Status != 400 || nowhere.errorCode(t) != "BadRequest" {
		t.Errorf("response 5: %d %s", nowhere.Status, nowhere.Body)
	}

	log := f.srv.Requests()
	if last := log[len(log)-1]; last.Method != "POST" || last.Path != "/v1.0/$batch" || last.Status != 200 {
		t.Errorf("request log ends with %+v, want the POST /$batch", last)
	}
	for _, r := range log {
		if r.Path != "/v1.0/$batch" {
			t.Errorf("a batched request is in the request log: %+v", r)
		}
	}
	parts := f.srv.BatchRequests()
	if len(parts) != 5 || parts[3].Header.Get("ConsistencyLevel") != "eventual" || parts[1].Method != "GET" || parts[0].Caller != f.adele.UserPrincipalName {
		t.Errorf("batch log = %+v", parts)
	}
}

// TestBatchFailedDependency: a failed request makes those that depend on
// it, directly or not, fail with 424 without running.
func TestBatchFailedDependency(t *testing.T) {
	f := newFixture(t)
	res := postBatch(t, f.srv, adeleToken(t, f), batchDoc(
		map[string]any{"id": "1", "method": "GET", "url": "/users/nobody"},
		map[string]any{"id": "2", "method": "GET", "url": "/me", "dependsOn": []string{"1"}},
		map[string]any{"id": "3", "method": "GET", "url": "/me", "dependsOn": []string{"2"}},
		map[string]any{"id": "4", "method": "GET", "url": "/me"},
	))
	want := map[string]int{"1": 404, "2": 424, "3": 424, "4": 200}
	for id, status := range want {
		if got := res.byID(t, id); got.Status != status {
			t.Errorf("response %s: %d, want %d", id, got.Status, status)
		}
	}
	if code := res.byID(t, "2").errorCode(t); code != "FailedDependency" {
		t.Errorf("424 code %q", code)
	}
	for _, r := range f.srv.BatchRequests() {
		if r.Status != want[r.ID] {
			t.Errorf("logged %s with %d", r.ID, r.Status)
		}
	}
}

func TestBatchRefused(t *testing.T) {
	f := newFixture(t)
	tok := adeleToken(t, f)
	get := func(id string) map[string]any { return map[string]any{"id": id, "method": "GET", "url": "/me"} }
	many := func(n int) string {
		parts := make([]map[string]any, n)
		for i := range parts {
			parts[i] = get(fmt.Sprint(i + 1))
		}
		return batchDoc(parts...)
	}
	if res := postBatch(t, f.srv, tok, many(20)); res.status != 200 || len(res.responses) != 20 {
		t.Fatalf("20 requests: %d, %d responses", res.status, len(res.responses))
	}
	for _, tc := range []struct {
		name, body, message string
	}{
		{"21 requests", many(21), "The batch request contains 21 requests, and the maximum number of requests in a batch is 20."},
		{"not JSON", `{"requests":[`, "Invalid batch payload format."},
		{"no requests", `{}`, "Invalid batch payload format."},
		{"empty", `{"requests":[]}`, "Invalid batch payload format."},
		{"id of the wrong type", `{"requests":[{"id":1,"method":"GET","url":"/me"}]}`, "Invalid batch payload format."},
		{"repeated id", batchDoc(get("1"), get("1")), "Request ids must be unique in a batch; id 1 is repeated."},
		{"missing id", batchDoc(get("")), "Every request of a batch needs an id."},
		{"missing url", batchDoc(map[string]any{"id": "1", "method": "GET"}), "Request id 1 needs a method and a url."},
		{"method", batchDoc(map[string]any{"id": "1", "method": "HEAD", "url": "/me"}), "Request id 1 has the method HEAD, which cannot be batched."},
		{"unknown dependency", batchDoc(get("1"), map[string]any{"id": "2", "method": "GET", "url": "/me", "dependsOn": []string{"9"}}), "Request id 2 depends on id 9, which is not another request of the batch."},
		{"self dependency", batchDoc(map[string]any{"id": "1", "method": "GET", "url": "/me", "dependsOn": []string{"1"}}), "Request id 1 depends on id 1, which is not another request of the batch."},
		{"circle", batchDoc(
			map[string]any{"id": "1", "method": "GET", "url": "/me", "dependsOn": []string{"2"}},
			map[string]any{"id": "2", "method": "GET", "url": "/me", "dependsOn": []string{"1"}},
		), "The dependsOn of the batch's requests go round in a circle."},
		{"write without Content-Type", batchDoc(map[string]any{"id": "7", "method": "PATCH", "url": "/me", "body": map[string]any{"city": "Redmond"}}), "Write request id : 7 does not contain Content-Type header or body."},
		{"write without body", batchDoc(map[string]any{"id": "8", "method": "POST", "url": "/me/sendMail", "headers": map[string]string{"Content-Type": "application/json"}}), "Write request id : 8 does not contain Content-Type header or body."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := postBatch(t, f.srv, tok, tc.body)
			if res.status != 400 || res.err["code"] != "BadRequest" || res.err["message"] != tc.message {
				t.Errorf("got %d %v, want 400 BadRequest %q", res.status, res.err, tc.message)
			}
		})
	}
	if res := postBatch(t, f.srv, "", many(1)); res.status != 401 {
		t.Errorf("a batch without a token: %d, want 401", res.status)
	}
}

func TestThrottleBatchItems(t *testing.T) {
	f := newFixture(t)
	tok := adeleToken(t, f)
	f.srv.ThrottleBatchItems(1, "7")
	f.srv.InjectBatchFaults(1, graphtest.Fault{Code: "custom", Message: "It broke."})
	res := postBatch(t, f.srv, tok, batchDoc(
		map[string]any{"id": "1", "method": "GET", "url": "/me"},
		map[string]any{"id": "2", "method": "GET", "url": "/me"},
		map[string]any{"id": "3", "method": "GET", "url": "/me"},
	))
	if res.status != 200 {
		t.Fatalf("the batch itself succeeds; got %d", res.status)
	}
	throttled := res.byID(t, "1")
	if throttled.Status != 429 || throttled.Headers["Retry-After"] != "7" || throttled.errorCode(t) != "TooManyRequests" {
		t.Errorf("response 1: %d %v %s", throttled.Status, throttled.Headers, throttled.Body)
	}
	broken := res.byID(t, "2")
	if e, _ := broken.object(t)["error"].(map[string]any); broken.Status != 500 || e["code"] != "custom" || e["message"] != "It broke." {
		t.Errorf("response 2: %d %s", broken.Status, broken.Body)
	}
	if ok := res.byID(t, "3"); ok.Status != 200 {
		t.Errorf("response 3: %d", ok.Status)
	}
	// The faults are used up.
	if res := postBatch(t, f.srv, tok, batchDoc(map[string]any{"id": "1", "method": "GET", "url": "/me"})); res.byID(t, "1").Status != 200 {
		t.Errorf("next batch: %+v", res.responses)
	}
	// Faults for single requests hit a POST /$batch as a whole.
	f.srv.Throttle(1, "3")
	if res := postBatch(t, f.srv, tok, batchDoc(map[string]any{"id": "1", "method": "GET", "url": "/me"})); res.status != 429 || res.header.Get("Retry-After") != "3" {
		t.Errorf("throttled batch: %d %v", res.status, res.header)
	}
}

// TestBatchRunsAsCaller: every request of a batch runs with the batch's
// token; an Authorization header inside is ignored.
func TestBatchRunsAsCaller(t *testing.T) {
	f := newFixture(t)
	alexTok, err := f.srv.UserToken(alexUPN, "User.Read")
	if err != nil {
		t.Fatal(err)
	}
	res := postBatch(t, f.srv, adeleToken(t, f), batchDoc(
		map[string]any{"id": "1", "method": "GET", "url": "/me", "headers": map[string]string{"Authorization": "Bearer " + alexTok}},
	))
	if got := res.byID(t, "1").object(t)["userPrincipalName"]; got != f.adele.UserPrincipalName {
		t.Errorf("/me ran as %v, want Adele", got)
	}
	app, err := f.srv.AppToken(daemonID)
	if err != nil {
		t.Fatal(err)
	}
	res = postBatch(t, f.srv, app, batchDoc(
		map[string]any{"id": "me", "method": "GET", "url": "/me"},
		map[string]any{"id": "user", "method": "GET", "url": "/users/" + f.adele.ID},
	))
	if me := res.byID(t, "me"); me.Status != 400 || !strings.Contains(string(me.Body), "/me request is only valid with delegated authentication flow.") {
		t.Errorf("app-only /me: %d %s", me.Status, me.Body)
	}
	if user := res.byID(t, "user"); user.Status != 200 {
		t.Errorf("app-only /users/{id}: %d", user.Status)
	}
	if parts := f.srv.BatchRequests(); parts[len(parts)-1].Caller != daemonID {
		t.Errorf("caller %q, want the app", parts[len(parts)-1].Caller)
	}
}

func TestBatchRequestBodies(t *testing.T) {
	f := newFixture(t)
	data := []byte{0, 1, 2, 0xfe, 0xff}
	res := postBatch(t, f.srv, adeleToken(t, f), batchDoc(
		map[string]any{"id": "json", "method": "PATCH", "url": "/me", "body": map[string]any{"city": "Redmond"}, "headers": map[string]string{"Content-Type": "application/json"}},
		map[string]any{"id": "binary", "method": "PUT", "url": "/me/photo/$value", "body": base64.StdEncoding.EncodeToString(data), "headers": map[string]string{"content-type": "image/jpeg"}},
		map[string]any{"id": "object", "method": "PUT", "url": "/me/photo/$value", "body": map[string]any{"a": 1}, "headers": map[string]string{"Content-Type": "image/jpeg"}},
		map[string]any{"id": "bad64", "method": "PUT", "url": "/me/photo/$value", "body": "%%%", "headers": map[string]string{"Content-Type": "image/jpeg"}},
		map[string]any{"id": "absolute", "method": "GET", "url": f.srv.GraphURL() + "/v1.0/me"},
		map[string]any{"id": "query", "method": "GET", "url": "/users?$filter=startswith(mail,'https://x')", "headers": map[string]string{"ConsistencyLevel": "eventual"}},
		map[string]any{"id": "nested", "method": "POST", "url": "/$batch", "body": map[string]any{"requests": []any{}}, "headers": map[string]string{"Content-Type": "application/json"}},
	))
	if res.status != 200 {
		t.Fatalf("status %d", res.status)
	}
	for id, want := range map[string]string{"bad64": "not valid base64", "object": "must be a base64 string", "absolute": "Invalid request URL", "nested": "A batch cannot contain another batch."} {
		if r := res.byID(t, id); r.Status != 400 || !strings.Contains(string(r.Body), want) {
			t.Errorf("response %s: %d %s, want 400 saying %q", id, r.Status, r.Body, want)
		}
	}
	if r := res.byID(t, "query"); r.Status != 200 {
		t.Errorf("a URL naming another in its query is relative: %d %s", r.Status, r.Body)
	}
	parts := map[string]graphtest.BatchedRequest{}
	for _, p := range f.srv.BatchRequests() {
		parts[p.ID] = p
	}
	if got := parts["json"].Body; string(got) != `{"city":"Redmond"}` {
		t.Errorf("JSON body logged as %s", got)
	}
	// A JSON body may come as base64 too (the docs allow either form).
	tok, err := f.srv.UserToken(f.adele.UserPrincipalName, "Mail.ReadWrite")
	if err != nil {
		t.Fatal(err)
	}
	res = postBatch(t, f.srv, tok, batchDoc(
		map[string]any{"id": "json64", "method": "POST", "url": "/me/mailFolders", "body": base64.RawURLEncoding.EncodeToString([]byte(`{"displayName":"Filed"}`)), "headers": map[string]string{"Content-Type": "application/json"}},
	))
	if r := res.byID(t, "json64"); r.Status != 201 || !strings.Contains(string(r.Body), `"displayName":"Filed"`) {
		t.Errorf("a JSON body sent as base64: %d %s", r.Status, r.Body)
	}
	if got := parts["binary"]; !bytes.Equal(got.Body, data) || got.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("binary body logged as %v %v", got.Body, got.Header)
	}
}

// FuzzBatchPayload: whatever is posted, the server answers Graph's JSON,
// 200 or 400, and never fails.
func FuzzBatchPayload(f *testing.F) {
	for _, s := range []string{
		`{"requests":[{"id":"1","method":"GET","url":"/me"}]}`,
		`{"requests":[{"id":"1","method":"GET","url":"/me","dependsOn":["2"]},{"id":"2","method":"GET","url":"/users?$top=1"}]}`,
		`{"requests":[{"id":"1","method":"PUT","url":"/x","body":"AAE=","headers":{"Content-Type":"image/png"}}]}`,
		`{"requests":[{"id":"1","method":"GET","url":"https://evil/x"},{"id":"2","method":"GET","url":"\u0000"}]}`,
		`{"requests":[{"id":"1","method":"G T","url":"/me"}]}`,
		`{"requests":null}`, `[]`, `"x"`, ``,
	} {
		f.Add(s)
	}
	srv := graphtest.NewServer()
	f.Cleanup(srv.Close)
	u := srv.AddUser(graphtest.User{UserPrincipalName: "fuzz@contoso.com"})
	tok, err := srv.UserToken(u.UserPrincipalName, "User.Read")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		res := postBatch(t, srv, tok, body)
		if res.status != 200 && res.status != 400 {
			t.Fatalf("status %d for %q", res.status, body)
		}
	})
}
