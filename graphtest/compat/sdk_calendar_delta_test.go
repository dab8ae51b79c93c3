package compat_test

import (
	"context"
	"testing"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The calendar view's delta() with its links, and an event forwarded, as
// msgraph-sdk-go requests them.
func TestSDKCalendarDeltaAndForward(t *testing.T) {
	te := newTenant(t)
	client, _ := sdkClient(t, te.srv, te.token(t, "adele@contoso.com"))
	ctx := context.Background()
	dt := func(s string) map[string]any { return map[string]any{"dateTime": s, "timeZone": "UTC"} }
	id, err := te.srv.AddEvent("adele@contoso.com", "", map[string]any{"subject": "Audit",
		"start": dt("2025-03-03T10:00:00"), "end": dt("2025-03-03T11:00:00")})
	require.NoError(t, err)

	op(t, sdk, "calendar: calendarView delta() with its delta link", func(t *testing.T) {
		delta := client.Me().CalendarView().Delta()
		resp, err := delta.GetAsDeltaGetResponse(ctx, &users.ItemCalendarViewDeltaRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemCalendarViewDeltaRequestBuilderGetQueryParameters{
				StartDateTime: ptr("2025-03-03T00:00:00Z"), EndDateTime: ptr("2025-03-10T00:00:00Z")}})
		require.NoError(t, err)
		require.Len(t, resp.GetValue(), 1)
		assert.Equal(t, "Audit", *resp.GetValue()[0].GetSubject())
		require.NotNil(t, resp.GetOdataDeltaLink())
		require.NoError(t, client.Me().Events().ByEventId(id).Delete(ctx, nil))
		changes, err := delta.WithUrl(*resp.GetOdataDeltaLink()).GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.Len(t, changes.GetValue(), 1)
		gone := changes.GetValue()[0]
		assert.Equal(t, id, *gone.GetId())
		removed, ok := gone.GetAdditionalData()["@removed"].(map[string]any)
		require.True(t, ok, "@removed is an object")
		assert.Equal(t, "deleted", deref(removed["reason"]))
	})

	op(t, sdk, "calendar: event forward", func(t *testing.T) {
		id, err := te.srv.AddEvent("adele@contoso.com", "", map[string]any{"subject": "Review",
			"start": dt("2025-03-04T10:00:00"), "end": dt("2025-03-04T11:00:00")})
		require.NoError(t, err)
		body := users.NewItemEventsItemForwardPostRequestBody()
		body.SetComment(ptr("Please join"))
		body.SetToRecipients([]models.Recipientable{recipient("megan@contoso.com")})
		require.NoError(t, client.Me().Events().ByEventId(id).Forward().Post(ctx, body, nil))
		megan, _ := sdkClient(t, te.srv, te.token(t, "megan@contoso.com"))
		in, err := megan.Me().MailFolders().ByMailFolderId("inbox").Messages().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, in.GetValue(), 1)
		assert.Equal(t, "FW: Review", *in.GetValue()[0].GetSubject())
	})
}
