package o365_test

// The hostile-server bounds of hostile_test.go, checked through every
// component rather than the connection alone: each component reaches
// Graph through its own code (its own list loop, its own decoder, its own
// waits), and a component that skipped the shared path would hang, loop
// or leak the token where the connection does not.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/excel"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/todo"
	"github.com/go-o365/o365/token"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hostile servers a component meets.
const (
	throttleForever = "Retry-After of decades"
	endlessBody     = "endless body"
	linkLoop        = "nextLink back to the same page"
	emptyPages      = "empty pages without end"
	plainLink       = "http:// nextLink on the Graph host"
	// monitorWait passes everything on, but long-running operation
	// monitors ask for a wait of decades.
	monitorWait = "monitor asking for decades"
)

// collectionModes are the servers for a call that pages; callModes for
// one that answers once.
var (
	collectionModes = []string{throttleForever, endlessBody, linkLoop, emptyPages, plainLink}
	callModes       = []string{throttleForever, endlessBody}
)

// sentReq is one request the hostile server saw.
type sentReq struct{ method, url, auth string }

// hostileTransport sits between an account and graphtest (served over
// HTTPS). Unarmed it passes requests on, so tests set up their objects
// against the emulator; armed with a mode it plays that hostile server,
// answering itself or rewriting the emulator's answers.
type hostileTransport struct {
	next  http.RoundTripper
	mu    sync.Mutex
	mode  string
	sent  []sentReq
	count int // requests so far, to make every empty page's link new
}

func (h *hostileTransport) arm(mode string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.mode, h.sent = mode, nil
}

func (h *hostileTransport) seen() []sentReq {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]sentReq(nil), h.sent...)
}

func (h *hostileTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	mode := h.mode
	if mode != "" {
		h.sent = append(h.sent, sentReq{r.Method, r.URL.String(), r.Header.Get("Authorization")})
	}
	h.count++
	n := h.count
	h.mu.Unlock()
	answer := func(status int, header http.Header, body io.Reader) (*http.Response, error) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		if header == nil {
			header = http.Header{}
		}
		header.Set("Content-Type", "application/json")
		return &http.Response{StatusCode: status, Status: http.StatusText(status), Header: header,
			Body: io.NopCloser(body), Request: r, ProtoMajor: 1, ProtoMinor: 1}, nil
	}
	switch mode {
	case "":
		return h.next.RoundTrip(r)
	case throttleForever:
		return answer(http.StatusTooManyRequests, http.Header{"Retry-After": {"999999999"}},
			strings.NewReader(`{"error":{"code":"TooManyRequests","message":"Please retry again later."}}`))
	case endlessBody:
		return answer(http.StatusOK, nil, io.MultiReader(strings.NewReader(`{"value":[`), &endlessItems{}))
	case emptyPages:
		next := fmt.Sprintf("https://%s%s?hostile=%d", r.URL.Host, r.URL.Path, n)
		return answer(http.StatusOK, nil, strings.NewReader(`{"value":[],"@odata.nextLink":"`+next+`"}`))
	case plainLink:
		if r.URL.Scheme == "http" {
			return answer(http.StatusOK, nil, strings.NewReader(`{"value":[]}`))
		}
	}
	if mode == monitorWait {
		resp, err := h.next.RoundTrip(r)
		if err == nil && strings.Contains(r.URL.Path, "/operations/") {
			resp.Header.Set("Retry-After", "999999999")
		}
		return resp, err
	}
	// linkLoop and plainLink: the emulator's own page, with a next link
	// that points back at it (or at it over http://).
	resp, err := h.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK || r.Method != http.MethodGet {
		return resp, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var page map[string]any
	if json.Unmarshal(data, &page) == nil && page["value"] != nil {
		link := *r.URL
		if mode == plainLink {
			link.Scheme = "http"
		}
		delete(page, "@odata.deltaLink")
		page["@odata.nextLink"] = link.String()
		data, _ = json.Marshal(page)
	}
	resp.Body = io.NopCloser(bytes.NewReader(data))
	resp.ContentLength = int64(len(data))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// endlessItems is the rest of a collection that never ends.
type endlessItems struct{ at int }

func (e *endlessItems) Read(p []byte) (int, error) {
	const item = `{"id":"x","displayName":"padding padding padding"},`
	for i := range p {
		p[i] = item[e.at%len(item)]
		e.at++
	}
	return len(p), nil
}

// drain reads seq to its end and returns its error.
func drain[T any](seq iter.Seq2[T, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// hostileEnv is a signed-in account on an HTTPS emulator whose
// transport can be armed.
type hostileEnv struct {
	srv  *graphtest.Server
	acct *o365.Account
	wire *hostileTransport
}

func newHostileEnv(t *testing.T) *hostileEnv {
	t.Helper()
	srv := graphtest.NewServer(graphtest.WithTLS())
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: clientSecret})
	srv.AddUser(graphtest.User{UserPrincipalName: adele, DisplayName: "Adele Vance", Mail: adele, Password: adelePass})
	srv.AddUser(graphtest.User{UserPrincipalName: alex, DisplayName: "Alex Wilber", Mail: alex, Password: "alex-pass"})
	wire := &hostileTransport{next: srv.Client().Transport}
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		o365.WithCloud(cloudOf(srv)),
		o365.WithHTTPClient(&http.Client{Transport: wire}),
		o365.WithTokenBackend(token.NewMemoryBackend()),
		o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(adele, adelePass),
		o365.WithScopes("basic", "message_all", "mailbox_settings", "categories_all", "onedrive_all",
			"calendar_all", "address_book_all", "users_all", "directory", "groups_all", "teams_all",
			"channel_messages_all", "chats_all", "planner_all", "tasks_all", "excel"),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
		o365.WithMaxResponseSize(1<<20))
	ok, err := acct.Authenticate(t.Context())
	require.NoError(t, err)
	require.True(t, ok)
	return &hostileEnv{srv: srv, acct: acct, wire: wire}
}

// hostileCase is one component call: setup runs against the emulator and
// returns the call, which each of modes then meets.
type hostileCase struct {
	name  string
	modes []string
	setup func(t *testing.T, e *hostileEnv) func(ctx context.Context) error
}

// unifiedGroup adds a Microsoft 365 group with Adele in it.
func unifiedGroup(t *testing.T, e *hostileEnv) string {
	g, err := e.srv.AddGroup(graphtest.Group{DisplayName: "Retail", MailNickname: "retail", MailEnabled: true,
		GroupTypes: []string{"Unified"}, Visibility: "Public"})
	require.NoError(t, err)
	require.NoError(t, e.srv.AddGroupMember(g.ID, adele))
	return g.ID
}

func workbook(t *testing.T, e *hostileEnv) *excel.Workbook {
	root := driveRoot(t, e)
	item, err := root.Upload(t.Context(), "Q1.xlsx", strings.NewReader("(workbook)"), 10, nil)
	require.NoError(t, err)
	wb, err := excel.Open(t.Context(), item, excel.WithoutSession())
	require.NoError(t, err)
	return wb
}

// todoTask saves a task in Adele's default To Do list.
func todoTask(t *testing.T, e *hostileEnv) *todo.Task {
	l, err := e.acct.Tasks().DefaultList(t.Context())
	require.NoError(t, err)
	task := l.NewTask("File the report")
	require.NoError(t, task.Save(t.Context()))
	return task
}

func driveRoot(t *testing.T, e *hostileEnv) *drive.DriveItem {
	d, err := e.acct.Storage().DefaultDrive(t.Context())
	require.NoError(t, err)
	root, err := d.Root(t.Context())
	require.NoError(t, err)
	return root
}

var hostileCases = []hostileCase{
	{"mail: inbox messages", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		_, err := e.srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: "hello", From: alex})
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(e.acct.Mailbox().Inbox().Messages(ctx)) }
	}},
	{"mail: folders", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error { return drain(e.acct.Mailbox().Folders(ctx)) }
	}},
	{"mail: delta round", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error {
			return drain(e.acct.Mailbox().Inbox().MessageDelta("").Changes(ctx))
		}
	}},
	{"mail: attachments", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		id, err := e.srv.AddMessage(adele, "inbox", graphtest.MailMessage{Subject: "with files", From: alex})
		require.NoError(t, err)
		m, err := e.acct.Mailbox().Inbox().Message(t.Context(), id)
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(m.ListAttachments(ctx)) }
	}},
	{"mail: settings", callModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error { _, err := e.acct.Mailbox().Settings(ctx); return err }
	}},
	{"categories", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		_, err := e.srv.AddCategory(adele, "Red category", "preset0")
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(e.acct.OutlookCategories().List(ctx)) }
	}},
	{"calendar: events", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error { return drain(e.acct.Schedule().Events(ctx)) }
	}},
	{"contacts", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error { return drain(e.acct.AddressBook().Contacts(ctx)) }
	}},
	{"directory: users", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error { return drain(e.acct.Directory().Users(ctx)) }
	}},
	{"groups: list", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		unifiedGroup(t, e)
		return func(ctx context.Context) error { return drain(e.acct.Groups().List(ctx)) }
	}},
	{"groups: members", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		g, err := e.acct.Groups().Group(t.Context(), unifiedGroup(t, e))
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(g.Members(ctx)) }
	}},
	{"teams: joined teams", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		require.NoError(t, e.srv.AddTeam(unifiedGroup(t, e)))
		return func(ctx context.Context) error { return drain(e.acct.Teams().JoinedTeams(ctx)) }
	}},
	{"teams: channel message delta", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		team := unifiedGroup(t, e)
		require.NoError(t, e.srv.AddTeam(team))
		channel, err := e.srv.ChannelID(team, "General")
		require.NoError(t, err)
		return func(ctx context.Context) error {
			return drain(e.acct.Teams().ChannelOf(team, channel).MessageDelta("").Changes(ctx))
		}
	}},
	{"teams: chats", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		_, err := e.srv.AddChat("group", "Plans", adele, alex)
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(e.acct.Teams().Chats(ctx)) }
	}},
	{"planner: plans and tasks", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		group := unifiedGroup(t, e)
		id, err := e.srv.AddPlan(group, "Launch")
		require.NoError(t, err)
		plan, err := e.acct.Planner().Plan(t.Context(), id)
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(plan.Tasks(ctx)) }
	}},
	{"planner: group plans", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		group := unifiedGroup(t, e)
		_, err := e.srv.AddPlan(group, "Launch")
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(e.acct.Planner().Plans(ctx, group)) }
	}},
	{"todo: lists", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error { return drain(e.acct.Tasks().Lists(ctx)) }
	}},
	{"todo: task delta round", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		l, err := e.acct.Tasks().DefaultList(t.Context())
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(l.TaskDelta("").Changes(ctx)) }
	}},
	{"todo: task attachments", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		task := todoTask(t, e)
		_, err := task.Attach(t.Context(), todo.File{Name: "a.txt", Content: strings.NewReader("hello"), Size: 5})
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(task.Attachments(ctx)) }
	}},
	{"todo: attachment upload session", []string{throttleForever}, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		task := todoTask(t, e)
		const size = todo.LargeAttachmentSize + 1
		return func(ctx context.Context) error {
			_, err := task.Attach(ctx, todo.File{Name: "big.bin", Content: bytes.NewReader(make([]byte, size)), Size: size})
			return err
		}
	}},
	{"calendar: view delta round", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
		return func(ctx context.Context) error {
			return drain(e.acct.Schedule().CalendarViewDelta(start, start.AddDate(0, 0, 7), "").Changes(ctx))
		}
	}},
	{"drive: children", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		root := driveRoot(t, e)
		return func(ctx context.Context) error { return drain(root.Children(ctx)) }
	}},
	{"drive: delta round", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		d, err := e.acct.Storage().DefaultDrive(t.Context())
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(d.Delta("").Items(ctx)) }
	}},
	{"drive: upload", callModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		root := driveRoot(t, e)
		return func(ctx context.Context) error {
			_, err := root.Upload(ctx, "a.txt", strings.NewReader("hello"), 5, nil)
			return err
		}
	}},
	{"drive: upload session", []string{throttleForever}, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		root := driveRoot(t, e)
		const size = drive.SimpleUploadMax + 1
		return func(ctx context.Context) error {
			_, err := root.Upload(ctx, "big.bin", bytes.NewReader(make([]byte, size)), size, nil)
			return err
		}
	}},
	{"drive: download", []string{throttleForever}, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		root := driveRoot(t, e)
		item, err := root.Upload(t.Context(), "b.txt", strings.NewReader("hello"), 5, nil)
		require.NoError(t, err)
		return func(ctx context.Context) error { _, err := item.Download(ctx, io.Discard, nil); return err }
	}},
	{"excel: worksheets", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		wb := workbook(t, e)
		return func(ctx context.Context) error { return drain(wb.Worksheets(ctx)) }
	}},
	{"excel: charts", collectionModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		wb := workbook(t, e)
		sheet, err := wb.Worksheet(t.Context(), "Sheet1")
		require.NoError(t, err)
		_, err = sheet.AddChart(t.Context(), excel.ColumnClustered, "A1:B2", excel.SeriesAuto)
		require.NoError(t, err)
		return func(ctx context.Context) error { return drain(sheet.Charts(ctx)) }
	}},
	{"$batch", callModes, func(t *testing.T, e *hostileEnv) func(context.Context) error {
		return func(ctx context.Context) error {
			b := e.acct.Batch()
			if _, err := b.Add(o365.BatchRequest{URL: "/me"}); err != nil {
				return err
			}
			return b.Send(ctx)
		}
	}},
}

func TestHostileServersAcrossComponents(t *testing.T) {
	for _, c := range hostileCases {
		t.Run(c.name, func(t *testing.T) {
			e := newHostileEnv(t)
			call := c.setup(t, e)
			// Unarmed, the call works: a failure below is the server's doing.
			require.NoError(t, call(t.Context()), "against the emulator itself")
			for _, mode := range c.modes {
				t.Run(mode, func(t *testing.T) {
					e.wire.arm(mode)
					defer e.wire.arm("")
					err := returnsPromptly(t, func() error { return call(context.Background()) })
					sent := e.wire.seen()
					switch mode {
					case throttleForever:
						require.ErrorIs(t, err, o365.ErrThrottled)
						var ge *o365.GraphError
						require.ErrorAs(t, err, &ge)
						assert.Equal(t, 999999999*time.Second, ge.RetryAfter, "the caller learns the wait asked for")
						assert.Len(t, sent, 1, "nothing was retried")
					case endlessBody:
						require.ErrorIs(t, err, api.ErrResponseTooLarge)
					case linkLoop:
						require.ErrorIs(t, err, api.ErrPagingLoop)
						assert.LessOrEqual(t, len(sent), 3, "the page linking to itself was not followed on")
					case emptyPages:
						require.ErrorIs(t, err, api.ErrPagingLoop)
						assert.Len(t, sent, api.MaxEmptyPages+1)
					case plainLink:
						require.NoError(t, err)
						var plain []sentReq
						for _, s := range sent {
							if strings.HasPrefix(s.url, "http://") {
								plain = append(plain, s)
							}
						}
						require.NotEmpty(t, plain, "the http:// link was never followed: the test shows nothing")
						for _, s := range plain {
							assert.Empty(t, s.auth, "%s %s got the token", s.method, s.url)
						}
						for _, s := range sent {
							if !strings.HasPrefix(s.url, "http://") {
								assert.NotEmpty(t, s.auth, "the Graph host itself got no token: %s", s.url)
							}
						}
					}
					if err != nil {
						assert.False(t, errors.Is(err, context.DeadlineExceeded))
					}
				})
			}
		})
	}
}

func TestWorkbookMonitorRefusesLongWait(t *testing.T) {
	e := newHostileEnv(t)
	e.srv.SetWorkbookOperationPolls(2) // createSession answers 202 and a monitor
	item, err := driveRoot(t, e).Upload(t.Context(), "Slow.xlsx", strings.NewReader("(workbook)"), 10, nil)
	require.NoError(t, err)
	e.wire.arm(monitorWait)
	err = returnsPromptly(t, func() error { _, err := excel.Open(context.Background(), item); return err })
	require.ErrorIs(t, err, o365.ErrThrottled)
	var ge *o365.GraphError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, 999999999*time.Second, ge.RetryAfter, "the caller learns the wait asked for")
	assert.ErrorContains(t, err, "running")
	var polls int
	for _, s := range e.wire.seen() {
		if strings.Contains(s.url, "/operations/") {
			polls++
		}
	}
	assert.Equal(t, 1, polls, "the monitor was asked once, and its wait not slept")
}
