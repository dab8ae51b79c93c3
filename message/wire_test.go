package message_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/message"
	"github.com/stretchr/testify/require"
)

// example is one entry of testdata/graph-examples.json (see its README).
type example struct {
	ID           string         `json:"id"`
	Method       string         `json:"method"`
	URL          string         `json:"url"`
	Status       int            `json:"status"`
	ResponseBody map[string]any `json:"response_body"`
}

func loadExamples(t *testing.T) []example {
	t.Helper()
	data, err := os.ReadFile("testdata/graph-examples.json")
	require.NoError(t, err)
	var out []example
	require.NoError(t, json.Unmarshal(data, &out))
	return out
}

// notComplete are the examples whose bodies are not Graph's answers but
// shortened by the docs; each is checked to fail for that reason.
var notComplete = map[string]string{
	"message-post-attachments#1": "contentBytes", // "R0lGODdhEAYEAA7" is base64 cut short
	"delta-query-messages#5":     "isRead",       // "isRead": "true", a string
}

// unmodelled are annotations the SDK does not keep.
var unmodelled = map[string]bool{
	"@odata.context":            true,
	"@odata.mediaContentType":   true,
	"item@odata.context":        true,
	"attachments@odata.context": true,
}

// TestWireFidelity decodes every complete message, attachment and upload
// session example of Microsoft's docs into the SDK's types, encodes it
// again and checks no property the SDK models was lost.
func TestWireFidelity(t *testing.T) {
	decoded := 0
	for _, ex := range loadExamples(t) {
		t.Run(ex.ID, func(t *testing.T) {
			if _, ok := ex.ResponseBody["NextExpectedRanges"]; ok {
				// An Outlook chunk answer, read inside api.Uploader: see
				// TestUploaderReadsOutlookAnswers.
				return
			}
			body := fillTemplate(ex.ResponseBody).(map[string]any)
			raw, err := json.Marshal(body)
			require.NoError(t, err)
			target := targetFor(ex)
			err = api.Unmarshal(raw, target)
			if field, ok := notComplete[ex.ID]; ok {
				require.ErrorContains(t, err, field)
				return
			}
			require.NoError(t, err)
			again, err := api.Marshal(target)
			require.NoError(t, err)
			var back map[string]any
			require.NoError(t, json.Unmarshal(again, &back))
			requireKept(t, "", body, back, isMessage(ex))
			decoded++
		})
	}
	require.GreaterOrEqual(t, decoded, 30)
}

// TestUploaderReadsOutlookAnswers replays Outlook's answers to the chunks
// of an attachment upload (outlook-large-attachments#3 and #5): 200 with
// Pascal-case NextExpectedRanges, then 201 with a Location.
func TestUploaderReadsOutlookAnswers(t *testing.T) {
	var first map[string]any
	for _, ex := range loadExamples(t) {
		if ex.ID == "outlook-large-attachments#3" {
			first = ex.ResponseBody
		}
	}
	require.NotNil(t, first)
	const size = 3483322
	var ranges []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ranges = append(ranges, r.Header.Get("Content-Range"))
		io.Copy(io.Discard, r.Body)
		if len(ranges) == 1 {
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(first)
			return
		}
		w.Header().Set("Location", "https://outlook.office.com/api/v2.0/Users('a')/Messages('m')/Attachments('AAMkADI5MAAIT3drCAAABEgAQANAqbAe7qaROhYdTnUQwXm0=')")
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	var progress []int64
	up := api.Uploader{Con: plain{srv.Client()}, ChunkSize: 2097152, Progress: func(sent, _ int64) { progress = append(progress, sent) }}
	resp, err := up.Upload(context.Background(), &api.UploadSession{UploadURL: srv.URL + "/session"}, &pattern{n: size}, size)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)
	require.Equal(t, []string{"bytes 0-2097151/3483322", "bytes 2097152-3483321/3483322"}, ranges)
	require.Equal(t, []int64{2097152, size}, progress)
}

// plain is a Requester that sends requests as they are.
type plain struct{ c *http.Client }

func (p plain) Do(r *http.Request) (*http.Response, error) {
	resp, err := p.c.Do(r)
	if err == nil && resp.StatusCode >= 300 {
		return nil, api.ErrorFromResponse(resp)
	}
	return resp, err
}
func (p plain) Get(ctx context.Context, u string, _ api.Params) (*http.Response, error) {
	return p.send(ctx, "GET", u, nil)
}
func (p plain) Post(ctx context.Context, u string, b any) (*http.Response, error) {
	return p.send(ctx, "POST", u, b)
}
func (p plain) Patch(ctx context.Context, u string, b any) (*http.Response, error) {
	return p.send(ctx, "PATCH", u, b)
}
func (p plain) Put(ctx context.Context, u string, b any) (*http.Response, error) {
	return p.send(ctx, "PUT", u, b)
}
func (p plain) Delete(ctx context.Context, u string) (*http.Response, error) {
	return p.send(ctx, "DELETE", u, nil)
}
func (p plain) send(ctx context.Context, method, u string, body any) (*http.Response, error) {
	req, err := api.NewRequest(ctx, method, u, nil, body)
	if err != nil {
		return nil, err
	}
	return p.Do(req)
}

// fillTemplate replaces the docs' placeholders ("datetime-value",
// "contentBytes-value") with values of the right type, so template
// examples are checked for their property names and shapes too.
func fillTemplate(v any) any {
	switch x := v.(type) {
	case string:
		switch x {
		case "datetime-value":
			return "2017-01-26T08:48:28Z"
		case "contentBytes-value":
			return "SGVsbG8gV29ybGQh"
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fillTemplate(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fillTemplate(e)
		}
		return out
	}
	return v
}

// targetFor picks the SDK type of an example's response.
func targetFor(ex example) any {
	_, isList := ex.ResponseBody["value"]
	switch {
	case strings.Contains(ex.URL, "createUploadSession"):
		return new(api.UploadSession)
	case strings.Contains(strings.ToLower(ex.URL), "/attachments") && isList:
		return new(api.Page[*message.Attachment])
	case strings.Contains(strings.ToLower(ex.URL), "/attachments"):
		return new(message.Attachment)
	case isList:
		return new(api.Page[*message.Message])
	}
	return new(message.Message)
}

func isMessage(ex example) bool {
	_, ok := targetFor(ex).(*message.Message)
	_, page := targetFor(ex).(*api.Page[*message.Message])
	return ok || page
}

// requireKept checks that every property of want survived in got: equal
// values, except that null, false, 0, "" and empty lists may be omitted.
// Messages do not keep @odata.type (they are all messages).
func requireKept(t *testing.T, path string, want, got map[string]any, message bool) {
	t.Helper()
	for k, w := range want {
		if unmodelled[k] || (message && k == "@odata.type") {
			continue
		}
		g, ok := got[k]
		if !ok {
			require.True(t, zero(w), "%s/%s = %v was lost", path, k, w)
			continue
		}
		switch wv := w.(type) {
		case map[string]any:
			gv, ok := g.(map[string]any)
			require.True(t, ok, "%s/%s changed type", path, k)
			requireKept(t, path+"/"+k, wv, gv, message && k != "item")
		case []any:
			gv, ok := g.([]any)
			require.True(t, ok, "%s/%s changed type", path, k)
			require.Len(t, gv, len(wv), "%s/%s", path, k)
			for i := range wv {
				if wm, ok := wv[i].(map[string]any); ok {
					requireKept(t, path+"/"+k, wm, gv[i].(map[string]any), message || k == "value")
					continue
				}
				require.Equal(t, wv[i], gv[i], "%s/%s[%d]", path, k, i)
			}
		default:
			require.Equal(t, w, g, "%s/%s", path, k)
		}
	}
}

func zero(v any) bool {
	if v == nil {
		return true
	}
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return reflect.ValueOf(v).IsZero()
}
