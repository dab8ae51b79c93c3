package compat_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-o365/o365/graphtest"
	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go-core/fileuploader"
	"github.com/microsoftgraph/msgraph-sdk-go/drives"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/sites"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sdk = "msgraph-sdk-go"

func recipient(addr string) models.Recipientable {
	e := models.NewEmailAddress()
	e.SetAddress(ptr(addr))
	r := models.NewRecipient()
	r.SetEmailAddress(e)
	return r
}

func textBody(s string) models.ItemBodyable {
	b := models.NewItemBody()
	ct := models.TEXT_BODYTYPE
	b.SetContentType(&ct)
	b.SetContent(ptr(s))
	return b
}

// memFile is a ByteStream over bytes, for LargeFileUploadTask.
type memFile struct {
	*bytes.Reader
	name string
}

func (f memFile) Stat() (os.FileInfo, error) { return memInfo{f}, nil }

type memInfo struct{ f memFile }

func (i memInfo) Name() string       { return i.f.name }
func (i memInfo) Size() int64        { return i.f.Size() }
func (i memInfo) Mode() os.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestSDKUsersAndMail(t *testing.T) {
	te := newTenant(t)
	client, adapter := sdkClient(t, te.srv, te.token(t, "adele@contoso.com"))
	ctx := context.Background()

	op(t, sdk, "GET /me", func(t *testing.T) {
		me, err := client.Me().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "adele@contoso.com", *me.GetUserPrincipalName())
		assert.Equal(t, "Retail Manager", *me.GetJobTitle())
	})
	op(t, sdk, "GET /users and /users/{upn}", func(t *testing.T) {
		list, err := client.Users().Get(ctx, nil)
		require.NoError(t, err)
		assert.Len(t, list.GetValue(), 2)
		u, err := client.Users().ByUserId("megan@contoso.com").Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Megan Bowen", *u.GetDisplayName())
	})
	op(t, sdk, "GET /me/mailFolders", func(t *testing.T) {
		folders, err := client.Me().MailFolders().Get(ctx, nil)
		require.NoError(t, err)
		var names []string
		for _, f := range folders.GetValue() {
			names = append(names, *f.GetDisplayName())
		}
		assert.Contains(t, names, "Inbox")
		assert.Contains(t, names, "Drafts")
	})

	for i := range 7 {
		_, err := te.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{
			Subject: "report " + string(rune('a'+i)), From: "megan@contoso.com", To: []string{"adele@contoso.com"},
			Body: "quarterly numbers", IsRead: i%2 == 0, Importance: map[bool]string{true: "high", false: "normal"}[i == 3],
		})
		require.NoError(t, err)
	}

	op(t, sdk, "messages $top $select $filter + PageIterator", func(t *testing.T) {
		resp, err := client.Me().MailFolders().ByMailFolderId("inbox").Messages().Get(ctx,
			&users.ItemMailFoldersItemMessagesRequestBuilderGetRequestConfiguration{
				QueryParameters: &users.ItemMailFoldersItemMessagesRequestBuilderGetQueryParameters{
					Top: ptr(int32(2)), Select: []string{"subject", "isRead", "conversationIndex"},
					Filter: ptr("isRead eq false"), Orderby: []string{"Subject"},
				}})
		require.NoError(t, err)
		require.Len(t, resp.GetValue(), 2)
		require.NotNil(t, resp.GetOdataNextLink(), "a second page")
		it, err := msgraphgocore.NewPageIterator[models.Messageable](resp, adapter, models.CreateMessageCollectionResponseFromDiscriminatorValue)
		require.NoError(t, err)
		var subjects []string
		require.NoError(t, it.Iterate(ctx, func(m models.Messageable) bool {
			subjects = append(subjects, *m.GetSubject())
			assert.False(t, *m.GetIsRead())
			assert.NotEmpty(t, m.GetConversationIndex(), "Edm.Binary decoded")
			assert.Nil(t, m.GetBody(), "not selected")
			return true
		}))
		assert.Equal(t, []string{"report b", "report d", "report f"}, subjects)
	})
	op(t, sdk, "messages with high importance ($filter on enum)", func(t *testing.T) {
		resp, err := client.Me().Messages().Get(ctx, &users.ItemMessagesRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemMessagesRequestBuilderGetQueryParameters{Filter: ptr("importance eq 'high'")}})
		require.NoError(t, err)
		require.Len(t, resp.GetValue(), 1)
		assert.Equal(t, "report d", *resp.GetValue()[0].GetSubject())
	})

	op(t, sdk, "POST /me/sendMail (gzip body)", func(t *testing.T) {
		msg := models.NewMessage()
		msg.SetSubject(ptr("lunch?"))
		msg.SetBody(textBody("at noon"))
		msg.SetToRecipients([]models.Recipientable{recipient("megan@contoso.com")})
		body := users.NewItemSendMailPostRequestBody()
		body.SetMessage(msg)
		body.SetSaveToSentItems(ptr(true))
		require.NoError(t, client.Me().SendMail().Post(ctx, body, nil))
		sent := lastRequest(te.srv, "POST", "/v1.0/me/sendMail")
		require.NotNil(t, sent)
		assert.Equal(t, "gzip", sent.Header.Get("Content-Encoding"), "the SDK compresses; graphtest decodes")
		megan, _ := sdkClient(t, te.srv, te.token(t, "megan@contoso.com"))
		inbox, err := megan.Me().MailFolders().ByMailFolderId("inbox").Messages().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, inbox.GetValue(), 1)
		assert.Equal(t, "lunch?", *inbox.GetValue()[0].GetSubject())
	})

	var draftID string
	op(t, sdk, "draft create, update, delete", func(t *testing.T) {
		msg := models.NewMessage()
		msg.SetSubject(ptr("draft one"))
		msg.SetToRecipients([]models.Recipientable{recipient("megan@contoso.com")})
		d, err := client.Me().Messages().Post(ctx, msg, nil)
		require.NoError(t, err)
		assert.True(t, *d.GetIsDraft())
		patch := models.NewMessage()
		patch.SetSubject(ptr("draft two"))
		u, err := client.Me().Messages().ByMessageId(*d.GetId()).Patch(ctx, patch, nil)
		require.NoError(t, err)
		assert.Equal(t, "draft two", *u.GetSubject())
		require.NoError(t, client.Me().Messages().ByMessageId(*d.GetId()).Delete(ctx, nil))
		_, err = client.Me().Messages().ByMessageId(*d.GetId()).Get(ctx, nil)
		require.Error(t, err)
		var odataErr interface{ GetStatusCode() int }
		require.ErrorAs(t, err, &odataErr)
		assert.Equal(t, 404, odataErr.GetStatusCode())

		keep := models.NewMessage()
		keep.SetSubject(ptr("with attachments"))
		k, err := client.Me().Messages().Post(ctx, keep, nil)
		require.NoError(t, err)
		draftID = *k.GetId()
	})
	op(t, sdk, "attachments: small file attachment", func(t *testing.T) {
		require.NotEmpty(t, draftID)
		a := models.NewFileAttachment()
		a.SetName(ptr("notes.txt"))
		a.SetContentType(ptr("text/plain"))
		a.SetContentBytes([]byte("hello attachment"))
		_, err := client.Me().Messages().ByMessageId(draftID).Attachments().Post(ctx, a, nil)
		require.NoError(t, err)
		list, err := client.Me().Messages().ByMessageId(draftID).Attachments().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		fa, ok := list.GetValue()[0].(models.FileAttachmentable)
		require.True(t, ok, "typed by @odata.type")
		assert.Equal(t, "hello attachment", string(fa.GetContentBytes()))
	})
	op(t, sdk, "attachments: LargeFileUploadTask 10 MB", func(t *testing.T) {
		require.NotEmpty(t, draftID)
		data := pattern(10 << 20)
		item := models.NewAttachmentItem()
		item.SetAttachmentType(ptr(models.FILE_ATTACHMENTTYPE))
		item.SetName(ptr("big.bin"))
		item.SetSize(ptr(int64(len(data))))
		body := users.NewItemMessagesItemAttachmentsCreateUploadSessionPostRequestBody()
		body.SetAttachmentItem(item)
		session, err := client.Me().Messages().ByMessageId(draftID).Attachments().CreateUploadSession().Post(ctx, body, nil)
		require.NoError(t, err)
		task := fileuploader.NewLargeFileUploadTask[models.FileAttachmentable](adapter, session,
			memFile{bytes.NewReader(data), "big.bin"}, 3<<20, models.CreateFileAttachmentFromDiscriminatorValue, nil)
		res := task.Upload(func(int64, int64) {})
		require.Empty(t, res.GetResponseErrors())
		require.True(t, res.GetUploadSucceeded())
		list, err := client.Me().Messages().ByMessageId(draftID).Attachments().Get(ctx, nil)
		require.NoError(t, err)
		var found bool
		for _, a := range list.GetValue() {
			if *a.GetName() == "big.bin" {
				found = true
				assert.EqualValues(t, len(data), *a.GetSize())
			}
		}
		assert.True(t, found)
	})
	op(t, sdk, "reply and move", func(t *testing.T) {
		inbox, err := client.Me().MailFolders().ByMailFolderId("inbox").Messages().Get(ctx, nil)
		require.NoError(t, err)
		first := inbox.GetValue()[0]
		reply := users.NewItemMessagesItemReplyPostRequestBody()
		reply.SetComment(ptr("thanks!"))
		require.NoError(t, client.Me().Messages().ByMessageId(*first.GetId()).Reply().Post(ctx, reply, nil))
		archive := models.NewMailFolder()
		archive.SetDisplayName(ptr("Archive 2024"))
		f, err := client.Me().MailFolders().Post(ctx, archive, nil)
		require.NoError(t, err)
		mv := users.NewItemMessagesItemMovePostRequestBody()
		mv.SetDestinationId(f.GetId())
		moved, err := client.Me().Messages().ByMessageId(*first.GetId()).Move().Post(ctx, mv, nil)
		require.NoError(t, err)
		assert.Equal(t, *f.GetId(), *moved.GetParentFolderId())
		in, err := client.Me().MailFolders().ByMailFolderId(*f.GetId()).Messages().Get(ctx, nil)
		require.NoError(t, err)
		assert.Len(t, in.GetValue(), 1)
	})
	op(t, sdk, "message delta() with its delta link", func(t *testing.T) {
		delta := client.Me().MailFolders().ByMailFolderId("inbox").Messages().Delta()
		resp, err := delta.GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		n := len(resp.GetValue())
		for resp.GetOdataNextLink() != nil {
			resp, err = delta.WithUrl(*resp.GetOdataNextLink()).GetAsDeltaGetResponse(ctx, nil)
			require.NoError(t, err)
			n += len(resp.GetValue())
		}
		assert.Equal(t, 6, n, "the inbox after one message moved out")
		link := resp.GetOdataDeltaLink()
		require.NotNil(t, link)
		assert.True(t, strings.HasPrefix(*link, "https://graph.microsoft.com/v1.0/"), *link)
		_, err = te.srv.AddMessage("adele@contoso.com", "inbox", graphtest.MailMessage{Subject: "new one", From: "megan@contoso.com"})
		require.NoError(t, err)
		changes, err := delta.WithUrl(*link).GetAsDeltaGetResponse(ctx, nil)
		require.NoError(t, err)
		require.Len(t, changes.GetValue(), 1)
		assert.Equal(t, "new one", *changes.GetValue()[0].GetSubject())
	})
	op(t, sdk, "429 Retry-After handled by the retry handler", func(t *testing.T) {
		te.srv.Throttle(2, "1")
		before := len(te.srv.Requests())
		start := time.Now()
		me, err := client.Me().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Adele Vance", *me.GetDisplayName())
		assert.Equal(t, 3, len(te.srv.Requests())-before, "two throttled tries and the answer")
		assert.GreaterOrEqual(t, time.Since(start), 2*time.Second, "Retry-After honoured")
	})
	op(t, sdk, "$batch through BatchRequestContent", func(t *testing.T) {
		batch := msgraphgocore.NewBatchRequest(adapter)
		meInfo, err := client.Me().ToGetRequestInformation(ctx, nil)
		require.NoError(t, err)
		meItem, err := batch.AddBatchRequestStep(*meInfo)
		require.NoError(t, err)
		folder := models.NewMailFolder()
		folder.SetDisplayName(ptr("Batched"))
		fInfo, err := client.Me().MailFolders().ToPostRequestInformation(ctx, folder, nil)
		require.NoError(t, err)
		fItem, err := batch.AddBatchRequestStep(*fInfo)
		require.NoError(t, err)
		resp, err := batch.Send(ctx, adapter)
		require.NoError(t, err)
		me, err := msgraphgocore.GetBatchResponseById[models.Userable](resp, *meItem.GetId(), models.CreateUserFromDiscriminatorValue)
		require.NoError(t, err)
		assert.Equal(t, "adele@contoso.com", *me.GetUserPrincipalName())
		f, err := msgraphgocore.GetBatchResponseById[models.MailFolderable](resp, *fItem.GetId(), models.CreateMailFolderFromDiscriminatorValue)
		require.NoError(t, err)
		assert.Equal(t, "Batched", *f.GetDisplayName())
		assert.EqualValues(t, 201, resp.GetStatusCodes()[*fItem.GetId()])
	})
}

// lastRequest finds the last request the server logged with method and path.
func lastRequest(srv *graphtest.Server, method, path string) *graphtest.Request {
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method && reqs[i].Path == path {
			return &reqs[i]
		}
	}
	return nil
}

func TestSDKCalendarAndContacts(t *testing.T) {
	te := newTenant(t)
	client, _ := sdkClient(t, te.srv, te.token(t, "adele@contoso.com"))
	megan, _ := sdkClient(t, te.srv, te.token(t, "megan@contoso.com"))
	ctx := context.Background()
	day := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1)
	when := func(t time.Time) models.DateTimeTimeZoneable {
		d := models.NewDateTimeTimeZone()
		d.SetDateTime(ptr(t.Format("2006-01-02T15:04:05")))
		d.SetTimeZone(ptr("UTC"))
		return d
	}
	attendee := func(addr string) models.Attendeeable {
		a := models.NewAttendee()
		e := models.NewEmailAddress()
		e.SetAddress(ptr(addr))
		a.SetEmailAddress(e)
		typ := models.REQUIRED_ATTENDEETYPE
		a.SetTypeEscaped(&typ)
		return a
	}

	var eventID string
	op(t, sdk, "events create and update", func(t *testing.T) {
		ev := models.NewEvent()
		ev.SetSubject(ptr("Planning"))
		ev.SetStart(when(day.Add(9 * time.Hour)))
		ev.SetEnd(when(day.Add(10 * time.Hour)))
		ev.SetAttendees([]models.Attendeeable{attendee("megan@contoso.com")})
		created, err := client.Me().Events().Post(ctx, ev, nil)
		require.NoError(t, err)
		eventID = *created.GetId()
		patch := models.NewEvent()
		patch.SetSubject(ptr("Planning (moved)"))
		patch.SetStart(when(day.Add(11 * time.Hour)))
		patch.SetEnd(when(day.Add(12 * time.Hour)))
		upd, err := client.Me().Events().ByEventId(eventID).Patch(ctx, patch, nil)
		require.NoError(t, err)
		assert.Equal(t, "Planning (moved)", *upd.GetSubject())
		assert.True(t, strings.HasPrefix(*upd.GetStart().GetDateTime(), day.Add(11*time.Hour).Format("2006-01-02T15:04:05")))
	})
	op(t, sdk, "events accept and decline", func(t *testing.T) {
		require.NotEmpty(t, eventID)
		inv, err := megan.Me().Events().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, inv.GetValue(), 1, "the invitation copied to the attendee")
		id := *inv.GetValue()[0].GetId()
		acc := users.NewItemEventsItemAcceptPostRequestBody()
		acc.SetComment(ptr("see you"))
		acc.SetSendResponse(ptr(true))
		require.NoError(t, megan.Me().Events().ByEventId(id).Accept().Post(ctx, acc, nil))
		org, err := client.Me().Events().ByEventId(eventID).Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, org.GetAttendees(), 1)
		assert.Equal(t, models.ACCEPTED_RESPONSETYPE, *org.GetAttendees()[0].GetStatus().GetResponse())
		dec := users.NewItemEventsItemDeclinePostRequestBody()
		dec.SetSendResponse(ptr(true))
		require.NoError(t, megan.Me().Events().ByEventId(id).Decline().Post(ctx, dec, nil))
		org, err = client.Me().Events().ByEventId(eventID).Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, models.DECLINED_RESPONSETYPE, *org.GetAttendees()[0].GetStatus().GetResponse())
	})
	op(t, sdk, "recurrence and calendarView", func(t *testing.T) {
		ev := models.NewEvent()
		ev.SetSubject(ptr("Standup"))
		ev.SetStart(when(day.Add(8 * time.Hour)))
		ev.SetEnd(when(day.Add(8*time.Hour + 15*time.Minute)))
		pat := models.NewRecurrencePattern()
		daily := models.DAILY_RECURRENCEPATTERNTYPE
		pat.SetTypeEscaped(&daily)
		pat.SetInterval(ptr(int32(1)))
		rng := models.NewRecurrenceRange()
		numbered := models.NUMBERED_RECURRENCERANGETYPE
		rng.SetTypeEscaped(&numbered)
		rng.SetNumberOfOccurrences(ptr(int32(5)))
		rng.SetStartDate(absser.NewDateOnly(day))
		rec := models.NewPatternedRecurrence()
		rec.SetPattern(pat)
		rec.SetRangeEscaped(rng)
		ev.SetRecurrence(rec)
		_, err := client.Me().Events().Post(ctx, ev, nil)
		require.NoError(t, err)
		view, err := client.Me().CalendarView().Get(ctx, &users.ItemCalendarViewRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemCalendarViewRequestBuilderGetQueryParameters{
				StartDateTime: ptr(day.Format(time.RFC3339)),
				EndDateTime:   ptr(day.AddDate(0, 0, 3).Format(time.RFC3339)),
				Orderby:       []string{"start/dateTime"},
			}})
		require.NoError(t, err)
		var standups, planning int
		for _, e := range view.GetValue() {
			switch *e.GetSubject() {
			case "Standup":
				standups++
				assert.Equal(t, models.OCCURRENCE_EVENTTYPE, *e.GetTypeEscaped())
			case "Planning (moved)":
				planning++
			}
		}
		assert.Equal(t, 3, standups, "three days of a daily series")
		assert.Equal(t, 1, planning)
	})
	op(t, sdk, "getSchedule (free/busy)", func(t *testing.T) {
		body := users.NewItemCalendarGetSchedulePostRequestBody()
		body.SetSchedules([]string{"adele@contoso.com", "megan@contoso.com"})
		body.SetStartTime(when(day))
		body.SetEndTime(when(day.Add(24 * time.Hour)))
		body.SetAvailabilityViewInterval(ptr(int32(60)))
		resp, err := client.Me().Calendar().GetSchedule().PostAsGetSchedulePostResponse(ctx, body, nil)
		require.NoError(t, err)
		require.Len(t, resp.GetValue(), 2)
		adele := resp.GetValue()[0]
		assert.Equal(t, "adele@contoso.com", *adele.GetScheduleId())
		view := *adele.GetAvailabilityView()
		require.Len(t, view, 24)
		assert.Equal(t, "0", view[10:11], "free before the meeting")
		assert.NotEqual(t, "0", view[11:12], "the moved meeting at 11:00")
	})
	op(t, sdk, "contacts create, list, update, delete", func(t *testing.T) {
		c := models.NewContact()
		c.SetGivenName(ptr("Pavel"))
		c.SetSurname(ptr("Bansky"))
		e := models.NewEmailAddress()
		e.SetAddress(ptr("pavel@fabrikam.com"))
		e.SetName(ptr("Pavel Bansky"))
		c.SetEmailAddresses([]models.EmailAddressable{e})
		c.SetBusinessPhones([]string{"+1 732 555 0102"})
		created, err := client.Me().Contacts().Post(ctx, c, nil)
		require.NoError(t, err)
		assert.Equal(t, "Pavel Bansky", *created.GetDisplayName())
		list, err := client.Me().Contacts().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, list.GetValue(), 1)
		p := models.NewContact()
		p.SetJobTitle(ptr("Engineer"))
		u, err := client.Me().Contacts().ByContactId(*created.GetId()).Patch(ctx, p, nil)
		require.NoError(t, err)
		assert.Equal(t, "Engineer", *u.GetJobTitle())
		require.NoError(t, client.Me().Contacts().ByContactId(*created.GetId()).Delete(ctx, nil))
		list, err = client.Me().Contacts().Get(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, list.GetValue())
	})
	op(t, sdk, "contact folders and their contacts", func(t *testing.T) {
		f := models.NewContactFolder()
		f.SetDisplayName(ptr("Suppliers"))
		folder, err := client.Me().ContactFolders().Post(ctx, f, nil)
		require.NoError(t, err)
		c := models.NewContact()
		c.SetGivenName(ptr("Ana"))
		_, err = client.Me().ContactFolders().ByContactFolderId(*folder.GetId()).Contacts().Post(ctx, c, nil)
		require.NoError(t, err)
		in, err := client.Me().ContactFolders().ByContactFolderId(*folder.GetId()).Contacts().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, in.GetValue(), 1)
		assert.Equal(t, "Ana", *in.GetValue()[0].GetGivenName())
		all, err := client.Me().ContactFolders().Get(ctx, nil)
		require.NoError(t, err)
		assert.Len(t, all.GetValue(), 1)
	})
}

func TestSDKDriveAndSites(t *testing.T) {
	te := newTenant(t)
	client, adapter := sdkClient(t, te.srv, te.token(t, "adele@contoso.com"))
	ctx := context.Background()

	var driveID string
	op(t, sdk, "GET /me/drive", func(t *testing.T) {
		d, err := client.Me().Drive().Get(ctx, nil)
		require.NoError(t, err)
		driveID = *d.GetId()
		assert.Equal(t, "business", *d.GetDriveType())
	})
	require.NotEmpty(t, driveID)
	items := client.Drives().ByDriveId(driveID).Items()

	op(t, sdk, "small upload by path (items/root:/a/b.txt:/content)", func(t *testing.T) {
		it, err := items.ByDriveItemId("root:/docs/hello.txt:").Content().Put(ctx, []byte("hello, graph"), nil)
		require.NoError(t, err)
		assert.Equal(t, "hello.txt", *it.GetName())
		assert.EqualValues(t, 12, *it.GetSize())
		got, err := te.srv.FileContent(driveID, "/docs/hello.txt")
		require.NoError(t, err)
		assert.Equal(t, "hello, graph", string(got), "the gzip body was decoded")
	})
	op(t, sdk, "children of items/root", func(t *testing.T) {
		kids, err := items.ByDriveItemId("root").Children().Get(ctx, nil)
		require.NoError(t, err)
		require.Len(t, kids.GetValue(), 1)
		assert.Equal(t, "docs", *kids.GetValue()[0].GetName())
		assert.NotNil(t, kids.GetValue()[0].GetFolder())
	})
	var fileID string
	op(t, sdk, "path addressing under /drives/{id}/items and /me/drive", func(t *testing.T) {
		it, err := items.ByDriveItemId("root:/docs/hello.txt:").Get(ctx, nil)
		require.NoError(t, err)
		fileID = *it.GetId()
		docs, err := items.ByDriveItemId("root:/docs:").Get(ctx, nil)
		require.NoError(t, err)
		rel, err := items.ByDriveItemId(*docs.GetId()+":/hello.txt:").Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, fileID, *rel.GetId(), "items/{id}:/relative:")
		// /me/drive/… has no builder in the SDK; WithUrl addresses it.
		me := drives.NewItemItemsDriveItemItemRequestBuilder("https://graph.microsoft.com/v1.0/me/drive/root:/docs/hello.txt:", adapter)
		viaMe, err := me.Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, fileID, *viaMe.GetId())
		byUser := drives.NewItemItemsDriveItemItemRequestBuilder("https://graph.microsoft.com/v1.0/users/adele@contoso.com/drive/items/"+fileID, adapter)
		viaUser, err := byUser.Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "hello.txt", *viaUser.GetName())
		root, err := client.Drives().ByDriveId(driveID).Root().Get(ctx, nil)
		require.NoError(t, err)
		assert.NotNil(t, root.GetRoot())
	})
	op(t, sdk, "download (302 to the storage host)", func(t *testing.T) {
		require.NotEmpty(t, fileID)
		data, err := items.ByDriveItemId(fileID).Content().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "hello, graph", string(data))
		viaPath, err := items.ByDriveItemId("root:/docs/hello.txt:").Content().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "hello, graph", string(viaPath))
	})
	op(t, sdk, "LargeFileUploadTask 50 MB", func(t *testing.T) {
		data := pattern(50 << 20)
		body := drives.NewItemItemsItemCreateUploadSessionPostRequestBody()
		props := models.NewDriveItemUploadableProperties()
		props.SetAdditionalData(map[string]any{"@microsoft.graph.conflictBehavior": "replace"})
		body.SetItem(props)
		session, err := items.ByDriveItemId("root:/big/video.bin:").CreateUploadSession().Post(ctx, body, nil)
		require.NoError(t, err)
		task := fileuploader.NewLargeFileUploadTask[models.DriveItemable](adapter, session,
			memFile{bytes.NewReader(data), "video.bin"}, 10<<20, models.CreateDriveItemFromDiscriminatorValue, nil)
		res := task.Upload(func(int64, int64) {})
		require.Empty(t, res.GetResponseErrors())
		require.True(t, res.GetUploadSucceeded())
		it, err := items.ByDriveItemId("root:/big/video.bin:").Get(ctx, nil)
		require.NoError(t, err)
		assert.EqualValues(t, len(data), *it.GetSize())
		got, err := te.srv.FileContent(driveID, "/big/video.bin")
		require.NoError(t, err)
		assert.True(t, bytes.Equal(data, got))
	})
	op(t, sdk, "copy with its monitor", func(t *testing.T) {
		require.NotEmpty(t, fileID)
		body := drives.NewItemItemsItemCopyPostRequestBody()
		body.SetName(ptr("hello-copy.txt"))
		headers := khttp.NewHeadersInspectionOptions()
		headers.InspectResponseHeaders = true
		_, err := items.ByDriveItemId(fileID).Copy().Post(ctx, body, &drives.ItemItemsItemCopyRequestBuilderPostRequestConfiguration{
			Options: []abstractions.RequestOption{headers}})
		require.NoError(t, err)
		monitor := headers.GetResponseHeaders().Get("Location")
		require.NotEmpty(t, monitor)
		var status string
		for range 50 {
			// The monitor is pre-authenticated: a plain GET, no token.
			resp, err := te.srv.Client().Get(monitor[0])
			require.NoError(t, err)
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(b), `"completed"`) || resp.StatusCode == http.StatusSeeOther {
				status = "completed"
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		assert.Equal(t, "completed", status)
		cp, err := items.ByDriveItemId("root:/docs/hello-copy.txt:").Content().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "hello, graph", string(cp))
	})
	op(t, sdk, "sharing link (createLink)", func(t *testing.T) {
		require.NotEmpty(t, fileID)
		body := drives.NewItemItemsItemCreateLinkPostRequestBody()
		body.SetTypeEscaped(ptr("view"))
		body.SetScope(ptr("organization"))
		perm, err := items.ByDriveItemId(fileID).CreateLink().Post(ctx, body, nil)
		require.NoError(t, err)
		require.NotNil(t, perm.GetLink())
		assert.NotEmpty(t, *perm.GetLink().GetWebUrl())
		assert.Equal(t, "view", *perm.GetLink().GetTypeEscaped())
	})

	site := te.srv.AddSite(graphtest.Site{Name: "marketing", DisplayName: "Marketing", Path: "/sites/marketing"})
	op(t, sdk, "sites, lists and list items", func(t *testing.T) {
		s, err := client.Sites().BySiteId(site.ID).Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "Marketing", *s.GetDisplayName())
		l := models.NewList()
		l.SetDisplayName(ptr("Campaigns"))
		col := models.NewColumnDefinition()
		col.SetName(ptr("Budget"))
		col.SetNumber(models.NewNumberColumn())
		l.SetColumns([]models.ColumnDefinitionable{col})
		info := models.NewListInfo()
		info.SetTemplate(ptr("genericList"))
		l.SetList(info)
		list, err := client.Sites().BySiteId(site.ID).Lists().Post(ctx, l, nil)
		require.NoError(t, err)
		item := models.NewListItem()
		fields := models.NewFieldValueSet()
		fields.SetAdditionalData(map[string]any{"Title": ptr("Spring launch"), "Budget": ptr(float64(1200))})
		item.SetFields(fields)
		_, err = client.Sites().BySiteId(site.ID).Lists().ByListId(*list.GetId()).Items().Post(ctx, item, nil)
		require.NoError(t, err)
		got, err := client.Sites().BySiteId(site.ID).Lists().ByListId(*list.GetId()).Items().Get(ctx,
			&sites.ItemListsItemItemsRequestBuilderGetRequestConfiguration{
				QueryParameters: &sites.ItemListsItemItemsRequestBuilderGetQueryParameters{Expand: []string{"fields"}}})
		require.NoError(t, err)
		require.Len(t, got.GetValue(), 1)
		f := got.GetValue()[0].GetFields().GetAdditionalData()
		assert.Equal(t, "Spring launch", deref(f["Title"]))
		sd, err := client.Sites().BySiteId(site.ID).Drive().Get(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "documentLibrary", *sd.GetDriveType())
	})
}

// deref reads a value the SDK's untyped decoding left as a pointer.
func deref(v any) any {
	switch x := v.(type) {
	case *string:
		return *x
	case *float64:
		return *x
	}
	return v
}

// Without TLS: GetDefaultClient exactly as it comes, the adapter's base
// URL set to the server's, and a token provider allowed on its host.
func TestSDKPlainHTTP(t *testing.T) {
	op(t, sdk, "plain HTTP server: GetDefaultClient as is, SetBaseUrl, paging", func(t *testing.T) {
		srv := graphtest.NewServer(graphtest.WithPageSize(2))
		defer srv.Close()
		for _, u := range []string{"adele", "megan", "alex", "diego", "lee"} {
			srv.AddUser(graphtest.User{UserPrincipalName: u + "@contoso.com", DisplayName: u})
		}
		tok, err := srv.UserToken("adele@contoso.com", "User.Read", "User.ReadBasic.All")
		require.NoError(t, err)
		host := strings.TrimPrefix(srv.GraphURL(), "http://")
		host, _, _ = strings.Cut(host, ":")
		opts := msgraphsdk.GetDefaultClientOptions()
		adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
			authentication.NewBaseBearerTokenAuthenticationProvider(staticToken{token: tok, hosts: allowedHosts(host)}), nil, nil,
			msgraphgocore.GetDefaultClient(&opts))
		require.NoError(t, err)
		adapter.SetBaseUrl(srv.GraphURL() + "/v1.0")
		client := msgraphsdk.NewGraphServiceClient(adapter)
		me, err := client.Me().Get(context.Background(), nil)
		require.NoError(t, err)
		assert.Equal(t, "adele", *me.GetDisplayName())
		page, err := client.Users().Get(context.Background(), nil)
		require.NoError(t, err)
		it, err := msgraphgocore.NewPageIterator[models.Userable](page, adapter, models.CreateUserCollectionResponseFromDiscriminatorValue)
		require.NoError(t, err)
		var n int
		require.NoError(t, it.Iterate(context.Background(), func(models.Userable) bool { n++; return true }))
		assert.Equal(t, 5, n, "three pages")
	})
}
