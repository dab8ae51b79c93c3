package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/go-o365/o365/api"
)

// ExampleList walks a collection served in two pages. The iterator asks for
// the second page only when the first is used up, and sends the
// ConsistencyLevel header with both.
func ExampleList() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("$skiptoken") == "" {
			fmt.Fprintf(w, `{"@odata.count":3,"value":[{"id":"1","displayName":"Adele Vance"},{"id":"2","displayName":"Alex Wilber"}],
				"@odata.nextLink":"http://%s/v1.0/users?$top=2&$skiptoken=X%%2B1"}`, r.Host)
			return
		}
		fmt.Fprint(w, `{"value":[{"id":"3","displayName":"Megan Bowen"}]}`)
	}))
	defer srv.Close()

	// In an application the requester is an *o365.Connection; here it is
	// a plain http.Client pointed at the test server.
	con := &testRequester{client: srv.Client()}

	pager := api.NewPager[api.User](con, srv.URL+"/v1.0/users",
		api.BatchSize(2),
		api.Param("$count", "true"),
		api.Header("ConsistencyLevel", "eventual"))
	for user, err := range pager.All(context.Background()) {
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(user.ID, user.DisplayName)
	}
	fmt.Println("count:", pager.Count())
	// Output:
	// 1 Adele Vance
	// 2 Alex Wilber
	// 3 Megan Bowen
	// count: 3
}

// ExampleParseError decodes the throttling answer from Microsoft's
// documentation.
func ExampleParseError() {
	header := http.Header{}
	header.Set("Content-Type", "application/json")
	header.Set("Retry-After", "2.128")
	body := []byte(`{
  "error": {
    "code": "TooManyRequests",
    "innerError": {
      "code": "429",
      "date": "2020-08-18T12:51:51",
      "message": "Please retry after",
      "request-id": "94fb3b52-452a-4535-a601-69e0a90e3aa2",
      "status": "429"
    },
    "message": "Please retry again later."
  }
}`)
	var err error = api.ParseError(http.StatusTooManyRequests, header, body)

	fmt.Println(err)
	fmt.Println("throttled:", errors.Is(err, api.ErrThrottled))
	var ge *api.GraphError
	if errors.As(err, &ge) {
		fmt.Println("code:", ge.Code)
		fmt.Println("retry after:", ge.RetryAfter)
	}

	// A body that is not Graph's JSON still gives a readable error.
	proxy := http.Header{"Content-Type": {"text/html"}}
	fmt.Println(api.ParseError(http.StatusBadGateway, proxy, []byte("<html><title>502 Bad Gateway</title></html>")))
	// Output:
	// o365: 429 Too Many Requests: TooManyRequests: Please retry again later. (request-id 94fb3b52-452a-4535-a601-69e0a90e3aa2)
	// throttled: true
	// code: TooManyRequests
	// retry after: 2.128s
	// o365: 502 Bad Gateway: error body is text/html, not JSON: <html><title>502 Bad Gateway</title></html>
}

// ExamplePager_DeltaLink keeps the link that ends a delta round, to start
// the next round from it later.
func ExamplePager_DeltaLink() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"value":[{"id":"1","displayName":"Adele Vance"}],
			"@odata.deltaLink":"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=oEcOySpF"}`)
	}))
	defer srv.Close()

	pager := api.NewPager[api.User](&testRequester{client: srv.Client()}, srv.URL+"/v1.0/users/delta")
	for user, err := range pager.All(context.Background()) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Println("changed:", user.DisplayName)
	}
	fmt.Println("next round:", pager.DeltaLink())
	// Output:
	// changed: Adele Vance
	// next round: https://graph.microsoft.com/v1.0/users/delta?$deltatoken=oEcOySpF
}
