package compat_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Everyday operations a test suite ported from msgraph-sdk-go reaches for
// beyond the list: nested mail folders, a message with its
// attachments expanded, the occurrences of a series, drive search and a
// list item's fields updated in place.
func TestSDKEveryday(t *testing.T) {
	te := newTenant(t)
	client, _ := sdkClient(t, te.srv, te.token(t, "adele@contoso.com"))
	ctx := context.Background()

	op(t, sdk, "mail: child folders create, list, and their messages", func(t *testing.T) {
		parent := models.NewMailFolder()
		parent.SetDisplayName(ptr("Projects"))
		p, err := client.Me().MailFolders().Post(ctx, parent, nil)
		require.NoError(t, err)
		child := models.NewMailFolder()
		child.SetDisplayName(ptr("Contoso"))
		c, err := client.Me().MailFolders().ByMailFolderId(*p.GetId()).ChildFolders().Post(ctx, child, nil)
		require.NoError(t, err)
		assert.Equal(t, *p.GetId(), *c.GetParentFolderId())
		kids, err := client.Me().MailFolders().ByMailFolderId(*p.GetId()).ChildFolders().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, kids.GetValue(), 1)
		assert.Equal(t, "Contoso", *kids.GetValue()[0].GetDisplayName())
		again, err := client.Me().MailFolders().ByMailFolderId(*p.GetId()).Get(ctx, nil)
		require.NoError(t, err)
		assert.EqualValues(t, 1, *again.GetChildFolderCount())
		m := models.NewMessage()
		m.SetSubject(ptr("filed"))
		_, err = client.Me().MailFolders().ByMailFolderId(*p.GetId()).ChildFolders().ByMailFolderId1(*c.GetId()).Messages().Post(ctx, m, nil)
		require.NoError(t, err)
		in, err := client.Me().MailFolders().ByMailFolderId(*c.GetId()).Messages().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, in.GetValue(), 1)
		assert.Equal(t, "filed", *in.GetValue()[0].GetSubject())
	})

	op(t, sdk, "mail: message with $expand=attachments", func(t *testing.T) {
		d := models.NewMessage()
		d.SetSubject(ptr("with a file"))
		msg, err := client.Me().Messages().Post(ctx, d, nil)
		require.NoError(t, err)
		a := models.NewFileAttachment()
		a.SetName(ptr("notes.txt"))
		a.SetContentType(ptr("text/plain"))
		a.SetContentBytes([]byte("hello"))
		_, err = client.Me().Messages().ByMessageId(*msg.GetId()).Attachments().Post(ctx, a, nil)
		require.NoError(t, err)
		got, err := client.Me().Messages().ByMessageId(*msg.GetId()).Get(ctx, &users.ItemMessagesMessageItemRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemMessagesMessageItemRequestBuilderGetQueryParameters{Expand: []string{"attachments"}}})
		require.NoError(t, err)
		assert.True(t, *got.GetHasAttachments())
		require.Len(t, got.GetAttachments(), 1)
		fa, ok := got.GetAttachments()[0].(models.FileAttachmentable)
		require.True(t, ok, "typed by @odata.type")
		assert.Equal(t, "hello", string(fa.GetContentBytes()))
	})

	op(t, sdk, "calendar: event instances of a series", func(t *testing.T) {
		day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
		when := func(t time.Time) models.DateTimeTimeZoneable {
			d := models.NewDateTimeTimeZone()
			d.SetDateTime(ptr(t.Format("2006-01-02T15:04:05")))
			d.SetTimeZone(ptr("UTC"))
			return d
		}
		ev := models.NewEvent()
		ev.SetSubject(ptr("Weekly sync"))
		ev.SetStart(when(day.Add(9 * time.Hour)))
		ev.SetEnd(when(day.Add(10 * time.Hour)))
		pat := models.NewRecurrencePattern()
		daily := models.DAILY_RECURRENCEPATTERNTYPE
		pat.SetTypeEscaped(&daily)
		pat.SetInterval(ptr(int32(1)))
		rng := models.NewRecurrenceRange()
		numbered := models.NUMBERED_RECURRENCERANGETYPE
		rng.SetTypeEscaped(&numbered)
		rng.SetNumberOfOccurrences(ptr(int32(4)))
		rng.SetStartDate(absser.NewDateOnly(day))
		rec := models.NewPatternedRecurrence()
		rec.SetPattern(pat)
		rec.SetRangeEscaped(rng)
		ev.SetRecurrence(rec)
		master, err := client.Me().Events().Post(ctx, ev, nil)
		require.NoError(t, err)
		inst, err := client.Me().Events().ByEventId(*master.GetId()).Instances().Get(ctx, &users.ItemEventsItemInstancesRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemEventsItemInstancesRequestBuilderGetQueryParameters{
				StartDateTime: ptr(day.Format(time.RFC3339)),
				EndDateTime:   ptr(day.AddDate(0, 0, 10).Format(time.RFC3339)),
			}})
		require.NoError(t, err)
		require.Len(t, inst.GetValue(), 4)
		for _, o := range inst.GetValue() {
			assert.Equal(t, models.OCCURRENCE_EVENTTYPE, *o.GetTypeEscaped())
			assert.Equal(t, *master.GetId(), *o.GetSeriesMasterId())
		}
	})

	driveID, err := te.srv.DriveOf("adele@contoso.com")
	require.NoError(t, err)
	for path, body := range map[string]string{"/reports/q1 budget.xlsx": "a", "/reports/q2 budget.xlsx": "b", "/notes/todo.txt": "c"} {
		_, err := te.srv.AddFile(driveID, path, []byte(body))
		require.NoError(t, err)
	}
	op(t, sdk, "files: search(q='…') in a drive and under a folder", func(t *testing.T) {
		res, err := client.Drives().ByDriveId(driveID).SearchWithQ(ptr("budget")).GetAsSearchWithQGetResponse(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, it := range res.GetValue() {
			names = append(names, *it.GetName())
		}
		assert.ElementsMatch(t, []string{"q1 budget.xlsx", "q2 budget.xlsx"}, names)
		notes, err := client.Drives().ByDriveId(driveID).Items().ByDriveItemId("root:/notes:").Get(ctx, nil)
		require.NoError(t, err)
		under, err := client.Drives().ByDriveId(driveID).Items().ByDriveItemId(*notes.GetId()).SearchWithQ(ptr("budget")).GetAsSearchWithQGetResponse(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, under.GetValue(), "nothing matches under /notes")
	})

	site := te.srv.AddSite(graphtest.Site{Name: "ops", DisplayName: "Operations", Path: "/sites/ops"})
	op(t, sdk, "lists: update a list item's fields", func(t *testing.T) {
		l := models.NewList()
		l.SetDisplayName(ptr("Issues"))
		info := models.NewListInfo()
		info.SetTemplate(ptr("genericList"))
		l.SetList(info)
		list, err := client.Sites().BySiteId(site.ID).Lists().Post(ctx, l, nil)
		require.NoError(t, err)
		item := models.NewListItem()
		fields := models.NewFieldValueSet()
		fields.SetAdditionalData(map[string]any{"Title": ptr("Printer jammed")})
		item.SetFields(fields)
		created, err := client.Sites().BySiteId(site.ID).Lists().ByListId(*list.GetId()).Items().Post(ctx, item, nil)
		require.NoError(t, err)
		patch := models.NewFieldValueSet()
		patch.SetAdditionalData(map[string]any{"Title": ptr("Printer fixed")})
		upd, err := client.Sites().BySiteId(site.ID).Lists().ByListId(*list.GetId()).Items().ByListItemId(*created.GetId()).Fields().Patch(ctx, patch, nil)
		require.NoError(t, err)
		assert.Equal(t, "Printer fixed", deref(upd.GetAdditionalData()["Title"]))
		got, err := client.Sites().BySiteId(site.ID).Lists().ByListId(*list.GetId()).Items().ByListItemId(*created.GetId()).Fields().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Printer fixed", deref(got.GetAdditionalData()["Title"]))
	})
}

// More of the same: counts, search with ConsistencyLevel, a drive's
// delta, folders made by POST children, calendars and event attachments.
func TestSDKEverydayMore(t *testing.T) {
	te := newTenant(t)
	client, _ := sdkClient(t, te.srv, te.token(t, "adele@contoso.com"))
	ctx := context.Background()
	eventual := abstractions.NewRequestHeaders()
	eventual.Add("ConsistencyLevel", "eventual")

	op(t, sdk, "users: $count and $search with ConsistencyLevel eventual", func(t *testing.T) {
		n, err := client.Users().Count().Get(ctx, &users.CountRequestBuilderGetRequestConfiguration{Headers: eventual})
		require.NoError(t, err)
		assert.EqualValues(t, 2, *n)
		page, err := client.Users().Get(ctx, &users.UsersRequestBuilderGetRequestConfiguration{Headers: eventual,
			QueryParameters: &users.UsersRequestBuilderGetQueryParameters{Search: ptr(`"displayName:megan"`), Count: ptr(true)}})
		require.NoError(t, err)
		require.Len(t, page.GetValue(), 1)
		assert.Equal(t, "Megan Bowen", *page.GetValue()[0].GetDisplayName())
		require.NotNil(t, page.GetOdataCount())
		assert.EqualValues(t, 1, *page.GetOdataCount())
	})
	for i := range 3 {
		_, err := te.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: fmt.Sprintf("invoice %d", i), From: "megan@contoso.com", IsRead: i == 0})
		require.NoError(t, err)
	}
	op(t, sdk, "mail: messages/$count with $filter", func(t *testing.T) {
		n, err := client.Me().MailFolders().ByMailFolderId("inbox").Messages().Count().Get(ctx, &users.ItemMailFoldersItemMessagesCountRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemMailFoldersItemMessagesCountRequestBuilderGetQueryParameters{Filter: ptr("isRead eq false")}})
		require.NoError(t, err)
		assert.EqualValues(t, 2, *n)
	})

	driveID, err := te.srv.DriveOf("adele@contoso.com")
	require.NoError(t, err)
	items := client.Drives().ByDriveId(driveID).Items()
	op(t, sdk, "files: create a folder with POST children, then root delta()", func(t *testing.T) {
		folder := models.NewDriveItem()
		folder.SetName(ptr("Invoices"))
		folder.SetFolder(models.NewFolder())
		folder.SetAdditionalData(map[string]any{"@microsoft.graph.conflictBehavior": "fail"})
		made, err := items.ByDriveItemId("root").Children().Post(ctx, folder, nil)
		require.NoError(t, err)
		assert.NotNil(t, made.GetFolder())
		_, err = items.ByDriveItemId("root").Children().Post(ctx, folder, nil)
		assert.Equal(t, http.StatusConflict, statusOf(err), "conflictBehavior fail")
		_, err = items.ByDriveItemId(*made.GetId()+":/march.txt:").Content().Put(ctx, []byte("paid"), nil)
		require.NoError(t, err)
		delta := items.ByDriveItemId("root").Delta()
		resp, err := delta.GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, it := range resp.GetValue() {
			names = append(names, *it.GetName())
		}
		assert.Contains(t, names, "Invoices")
		assert.Contains(t, names, "march.txt")
		require.NotNil(t, resp.GetOdataDeltaLink())
		_, err = te.srv.AddFile(driveID, "/Invoices/april.txt", []byte("due"))
		require.NoError(t, err)
		changes, err := delta.WithUrl(*resp.GetOdataDeltaLink()).GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		names = nil
		for _, it := range changes.GetValue() {
			names = append(names, *it.GetName())
		}
		assert.Contains(t, names, "april.txt")
		assert.NotContains(t, names, "march.txt")
	})

	op(t, sdk, "calendar: calendars list, create, and events in one", func(t *testing.T) {
		cal := models.NewCalendar()
		cal.SetName(ptr("Team"))
		c, err := client.Me().Calendars().Post(ctx, cal, nil)
		require.NoError(t, err)
		ev := models.NewEvent()
		ev.SetSubject(ptr("Offsite"))
		start := time.Now().UTC().Truncate(time.Hour).Add(48 * time.Hour)
		for _, set := range []func(models.DateTimeTimeZoneable){ev.SetStart, ev.SetEnd} {
			d := models.NewDateTimeTimeZone()
			d.SetDateTime(ptr(start.Format("2006-01-02T15:04:05")))
			d.SetTimeZone(ptr("UTC"))
			set(d)
			start = start.Add(time.Hour)
		}
		_, err = client.Me().Calendars().ByCalendarId(*c.GetId()).Events().Post(ctx, ev, nil)
		require.NoError(t, err)
		in, err := client.Me().Calendars().ByCalendarId(*c.GetId()).Events().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, in.GetValue(), 1)
		assert.Equal(t, "Offsite", *in.GetValue()[0].GetSubject())
		all, err := client.Me().Calendars().Get(ctx, nil)
		require.NoError(t, err)
		assert.Len(t, all.GetValue(), 2, "the default calendar and Team")
		def, err := client.Me().Events().Get(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, def.GetValue(), "/me/events is the default calendar's")

		a := models.NewFileAttachment()
		a.SetName(ptr("agenda.txt"))
		a.SetContentBytes([]byte("1. lunch"))
		_, err = client.Me().Events().ByEventId(*in.GetValue()[0].GetId()).Attachments().Post(ctx, a, nil)
		require.NoError(t, err)
		atts, err := client.Me().Events().ByEventId(*in.GetValue()[0].GetId()).Attachments().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, atts.GetValue(), 1)
		fa, ok := atts.GetValue()[0].(models.FileAttachmentable)
		require.True(t, ok, "typed by @odata.type")
		assert.Equal(t, "agenda.txt", *fa.GetName())
		assert.Equal(t, "1. lunch", string(fa.GetContentBytes()), "Edm.Binary round trip")
	})
}

// And the rest of a typical suite: body format preference, $search,
// forward, mail folder and contact delta, drive items renamed, moved and deleted, and the
// profile photo.
func TestSDKEverydayOutlookAndFiles(t *testing.T) {
	te := newTenant(t)
	client, _ := sdkClient(t, te.srv, te.token(t, "adele@contoso.com"))
	ctx := context.Background()
	id, err := te.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "invoice 7", From: "megan@contoso.com",
		To: []string{"adele@contoso.com"}, Body: "<p>Please <b>pay</b></p>", HTML: true})
	require.NoError(t, err)
	_, err = te.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "lunch", From: "megan@contoso.com"})
	require.NoError(t, err)

	op(t, sdk, "mail: Prefer outlook.body-content-type=\"text\"", func(t *testing.T) {
		h := abstractions.NewRequestHeaders()
		h.Add("Prefer", `outlook.body-content-type="text"`)
		m, err := client.Me().Messages().ByMessageId(id).Get(ctx, &users.ItemMessagesMessageItemRequestBuilderGetRequestConfiguration{Headers: h})
		require.NoError(t, err)
		assert.Equal(t, models.TEXT_BODYTYPE, *m.GetBody().GetContentType())
		assert.NotContains(t, *m.GetBody().GetContent(), "<b>")
		assert.Contains(t, *m.GetBody().GetContent(), "pay")
	})
	op(t, sdk, "mail: $search on messages", func(t *testing.T) {
		res, err := client.Me().Messages().Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Search: ptr(`"invoice"`)}})
		require.NoError(t, err)
		require.Len(t, res.GetValue(), 1)
		assert.Equal(t, "invoice 7", *res.GetValue()[0].GetSubject())
	})
	op(t, sdk, "mail: forward", func(t *testing.T) {
		body := users.NewItemMessagesItemForwardPostRequestBody()
		body.SetComment(ptr("FYI"))
		body.SetToRecipients([]models.Recipientable{recipient("megan@contoso.com")})
		require.NoError(t, client.Me().Messages().ByMessageId(id).Forward().Post(ctx, body, nil))
		megan, _ := sdkClient(t, te.srv, te.token(t, "megan@contoso.com"))
		in, err := megan.Me().MailFolders().ByMailFolderId("inbox").Messages().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, in.GetValue(), 1)
		assert.Equal(t, "FW: invoice 7", *in.GetValue()[0].GetSubject())
	})

	op(t, sdk, "mail: mailFolders delta() with its delta link", func(t *testing.T) {
		delta := client.Me().MailFolders().Delta()
		res, err := delta.GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, f := range res.GetValue() {
			names = append(names, *f.GetDisplayName())
		}
		assert.Contains(t, names, "Inbox")
		require.NotNil(t, res.GetOdataDeltaLink())
		nf := models.NewMailFolder()
		nf.SetDisplayName(ptr("Receipts"))
		_, err = client.Me().MailFolders().Post(ctx, nf, nil)
		require.NoError(t, err)
		changes, err := delta.WithUrl(*res.GetOdataDeltaLink()).GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.Len(t, changes.GetValue(), 1)
		assert.Equal(t, "Receipts", *changes.GetValue()[0].GetDisplayName())
	})
	op(t, sdk, "contacts: delta() with its delta link", func(t *testing.T) {
		c := models.NewContact()
		c.SetGivenName(ptr("Pavel"))
		_, err := client.Me().Contacts().Post(ctx, c, nil)
		require.NoError(t, err)
		delta := client.Me().Contacts().Delta()
		res, err := delta.GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.Len(t, res.GetValue(), 1)
		assert.Equal(t, "Pavel", *res.GetValue()[0].GetGivenName())
		require.NotNil(t, res.GetOdataDeltaLink())
		c.SetGivenName(ptr("Ana"))
		_, err = client.Me().Contacts().Post(ctx, c, nil)
		require.NoError(t, err)
		changes, err := delta.WithUrl(*res.GetOdataDeltaLink()).GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.Len(t, changes.GetValue(), 1)
		assert.Equal(t, "Ana", *changes.GetValue()[0].GetGivenName())
	})

	driveID, err := te.srv.DriveOf("adele@contoso.com")
	require.NoError(t, err)
	items := client.Drives().ByDriveId(driveID).Items()
	op(t, sdk, "files: rename and move with PATCH, then delete", func(t *testing.T) {
		fileID, err := te.srv.AddFile(driveID, "/inbox/scan.pdf", []byte("%PDF"))
		require.NoError(t, err)
		_, err = te.srv.AddFile(driveID, "/archive/keep.txt", []byte("k"))
		require.NoError(t, err)
		arch, err := items.ByDriveItemId("root:/archive:").Get(ctx, nil)
		require.NoError(t, err)
		patch := models.NewDriveItem()
		patch.SetName(ptr("invoice.pdf"))
		ref := models.NewItemReference()
		ref.SetId(arch.GetId())
		patch.SetParentReference(ref)
		moved, err := items.ByDriveItemId(fileID).Patch(ctx, patch, nil)
		require.NoError(t, err)
		assert.Equal(t, "invoice.pdf", *moved.GetName())
		assert.Equal(t, *arch.GetId(), *moved.GetParentReference().GetId())
		_, err = items.ByDriveItemId("root:/archive/invoice.pdf:").Get(ctx, nil)
		require.NoError(t, err)
		require.NoError(t, items.ByDriveItemId(fileID).Delete(ctx, nil))
		_, err = items.ByDriveItemId(fileID).Get(ctx, nil)
		assert.Equal(t, http.StatusNotFound, statusOf(err))
	})
	op(t, sdk, "users: profile photo put and get", func(t *testing.T) {
		jpeg := []byte{0xff, 0xd8, 0xff, 0xe0, 1, 2, 3}
		h := abstractions.NewRequestHeaders()
		h.Add("Content-Type", "image/jpeg")
		tok, err := te.srv.UserToken("adele@contoso.com", "User.ReadWrite")
		require.NoError(t, err)
		writer, _ := sdkClient(t, te.srv, tok)
		_, err = writer.Me().Photo().Content().Put(ctx, jpeg, &users.ItemPhotoValueContentRequestBuilderPutRequestConfiguration{Headers: h})
		require.NoError(t, err)
		got, err := client.Me().Photo().Content().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, jpeg, got)
	})
}
