package groups_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

// memberOfPage is a memberOf page as a real tenant sends it: a directory
// role and an administrative unit among the groups (the graphtest
// directory has neither).
const memberOfPage = `{"value":[
 {"@odata.type":"#microsoft.graph.directoryRole","id":"r1","displayName":"Global Reader"},
 {"@odata.type":"#microsoft.graph.administrativeUnit","id":"a1","displayName":"Seattle"},
 {"@odata.type":"#microsoft.graph.group","id":"g1","displayName":"Golf Assist","groupTypes":["Unified"]},
 {"@odata.type":"#microsoft.graph.group","id":"g2","displayName":"HR Taskforce","groupTypes":["Unified"]}
]}`

func TestMemberOfSkipsOtherObjectsAndLimitsGroups(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1.0/me/memberOf" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(memberOfPage))
	}))
	t.Cleanup(srv.Close)
	acct := o365.NewAccount(o365.Credentials{ClientID: o365test.ClientID},
		o365.WithCloud(o365.Cloud{Login: srv.URL, Graph: srv.URL}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fake-token"})),
		o365.WithRetries(0),
	)
	ctx := context.Background()
	gs := acct.Groups()

	assert.Equal(t, []string{"Golf Assist", "HR Taskforce"}, names(collect(t, gs.MemberOf(ctx, "me"))))
	// Limit counts groups, not the role and unit skipped before them.
	got := collect(t, gs.MemberOf(ctx, "me", o365.Limit(1)))
	require.Len(t, got, 1)
	assert.Equal(t, "g1", got[0].ID)
	assert.Len(t, collect(t, gs.MemberOf(ctx, "me", o365.Limit(2))), 2)
}
