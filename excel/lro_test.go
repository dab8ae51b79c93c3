package excel_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/excel"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowCall plays Graph taking long over the workbook calls whose path
// contains part: it answers them 202 with a monitor under the workbook's
// operations, reports the operation running for polls polls and then as
// ended (succeeded, or failed when fail is set), and serves the result
// at the operation's resourceLocation. Everything else goes to next.
type slowCall struct {
	part   string
	polls  int
	fail   bool
	done   string // the status that ends the operation: succeeded when empty
	result string
	next   http.RoundTripper

	mu          sync.Mutex
	seen        int      // polls answered
	resultReads []string // the workbook-session-id of each result read
}

func (s *slowCall) RoundTrip(r *http.Request) (*http.Response, error) {
	path := r.URL.Path
	base, _, ok := strings.Cut(path, "/workbook/")
	answer := func(code int, h http.Header, body string) (*http.Response, error) {
		if h == nil {
			h = http.Header{}
		}
		h.Set("Content-Type", "application/json")
		return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(bytes.NewReader([]byte(body))), Request: r}, nil
	}
	op := r.URL.Scheme + "://" + r.URL.Host + base + "/workbook/operations/slow-op"
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case ok && strings.HasSuffix(path, "/workbook/operations/slow-op/result"):
		s.resultReads = append(s.resultReads, r.Header.Get(excel.SessionHeader))
		return answer(http.StatusOK, nil, s.result)
	case ok && strings.HasSuffix(path, "/workbook/operations/slow-op"):
		s.seen++
		switch {
		case s.seen <= s.polls:
			return answer(http.StatusOK, nil, `{"id":"slow-op","status":"running"}`)
		case s.fail:
			return answer(http.StatusOK, nil, `{"id":"slow-op","status":"failed","error":{"code":"internalServerError","message":"An internal server error occurred while processing the request.","innerError":{"code":"calculationTimeout","message":"The calculation took too long."}}}`)
		}
		done := s.done
		if done == "" {
			done = "succeeded"
		}
		return answer(http.StatusOK, nil, `{"id":"slow-op","status":"`+done+`","resourceLocation":"`+op+`/result"}`)
	case ok && strings.Contains(path, s.part):
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		return answer(http.StatusAccepted, http.Header{"Location": {op}}, "")
	}
	return s.next.RoundTrip(r)
}

// openThrough opens a new workbook with an account whose requests go
// through rt.
func openThrough(t *testing.T, e *env, name string, rt http.RoundTripper, opts ...excel.Option) *excel.Workbook {
	t.Helper()
	it := e.upload(name)
	acct := o365test.SignIn(t, e.srv, adele, password, o365.WithScopes("excel", "onedrive"), o365.WithHTTPClient(&http.Client{Transport: rt}))
	d, err := acct.Storage().DefaultDrive(e.ctx)
	require.NoError(t, err)
	item, err := d.Item(e.ctx, it.ID)
	require.NoError(t, err)
	wb, err := excel.Open(e.ctx, item, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { wb.Close(context.Background()) })
	return wb
}

// Any workbook call Graph answers 202 is waited on, and its result read
// from the operation's resourceLocation in the same session.
func TestLongRunningCallIsAwaited(t *testing.T) {
	e := newEnv(t)
	slow := &slowCall{part: "/functions/", polls: 2, result: `{"value":599.42,"error":null}`, next: http.DefaultTransport}
	wb := openThrough(t, e, "Slow.xlsx", slow)
	res, err := wb.Function(e.ctx, "pmt", map[string]any{"rate": 0.05 / 12, "nper": 36, "pv": -20000})
	require.NoError(t, err)
	assert.Equal(t, 599.42, res.Value)
	assert.Equal(t, 3, slow.seen, "running, running, succeeded")
	assert.Equal(t, []string{wb.SessionID()}, slow.resultReads, "the result is read once, in the session")

	// A call without an answer to read (Clear) only waits.
	slow.part, slow.seen = "/clear", 0
	r, err := wb.Range("Sheet1!A1:B2")
	require.NoError(t, err)
	require.NoError(t, r.Clear(e.ctx, excel.ClearAll))
	assert.Equal(t, 3, slow.seen)
	assert.Len(t, slow.resultReads, 1, "no result read for a call that discards it")
}

func TestLongRunningCallFailureIsReported(t *testing.T) {
	e := newEnv(t)
	slow := &slowCall{part: "/functions/", fail: true, next: http.DefaultTransport}
	wb := openThrough(t, e, "Fails.xlsx", slow)
	_, err := wb.Function(e.ctx, "sum", map[string]any{"values": []any{1, 2}})
	require.Error(t, err)
	assert.ErrorContains(t, err, `/functions/sum on "Fails.xlsx"`)
	assert.ErrorContains(t, err, "the operation failed: internalServerError")
	assert.ErrorContains(t, err, "calculationTimeout The calculation took too long.")
	assert.Empty(t, slow.resultReads)
}

func TestLongRunningCallWaitEndsWithTheContext(t *testing.T) {
	e := newEnv(t)
	slow := &slowCall{part: "/functions/", polls: 1 << 20, next: http.DefaultTransport}
	wb := openThrough(t, e, "Never.xlsx", slow, excel.WithoutSession())
	ctx, cancel := context.WithTimeout(e.ctx, 300*time.Millisecond)
	defer cancel()
	_, err := wb.Function(ctx, "sum", map[string]any{"values": []any{1, 2}})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Positive(t, slow.seen, "it polled before giving up")
}

// Graph's resource page names the end state Completed, its example
// succeeded; either ends the wait, whatever the case.
func TestLongRunningCallEndsOnEitherWord(t *testing.T) {
	for _, done := range []string{"Completed", "completed", "Succeeded"} {
		e := newEnv(t)
		slow := &slowCall{part: "/functions/", polls: 1, done: done, result: `{"value":3}`, next: http.DefaultTransport}
		wb := openThrough(t, e, "Done.xlsx", slow, excel.WithoutSession())
		ctx, cancel := context.WithTimeout(e.ctx, 5*time.Second)
		res, err := wb.Function(ctx, "sum", map[string]any{"values": []any{1, 2}})
		cancel()
		require.NoError(t, err, done)
		assert.Equal(t, 3.0, res.Value, done)
		assert.Equal(t, 2, slow.seen, done)
	}
}

// End to end against graphtest: AddRows and DeleteRow ask Graph to
// respond async, wait on the operation through its polls, and read the
// added rows from its resourceLocation; the delete succeeds with none.
func TestRowsRespondAsyncAgainstGraphtest(t *testing.T) {
	e := newEnv(t)
	e.srv.SetWorkbookOperationPolls(2)
	wb, _ := e.open("Async.xlsx")
	_, err := e.rng(wb, "Sheet1!A1:B2").Update(e.ctx, excel.RangeUpdate{Values: [][]any{{"Fruit", "Qty"}, {"pear", 4}}})
	require.NoError(t, err)
	tbl, err := wb.AddTable(e.ctx, "Sheet1!A1:B2", true)
	require.NoError(t, err)

	mark := e.wire.Mark()
	added, err := tbl.AddRows(e.ctx, [][]any{{"fig", 7}, {"kiwi", 9}})
	require.NoError(t, err)
	assert.Equal(t, 1, added.Index)
	assert.Equal(t, [][]any{{"fig", 7.0}, {"kiwi", 9.0}}, added.Values)
	sent := e.wire.Since(mark)
	require.Len(t, sent, 5, "add, three polls (running, running, succeeded), result")
	assert.Equal(t, "respond-async", sent[0].Header.Get("Prefer"))
	assert.Contains(t, sent[4].URL, "tableRowOperationResult")
	assert.Equal(t, wb.SessionID(), sent[4].Header.Get(excel.SessionHeader), "the result is read in the session")
	assert.Len(t, collect(t, tbl.Rows(e.ctx)), 3)

	mark = e.wire.Mark()
	require.NoError(t, tbl.DeleteRow(e.ctx, 0))
	sent = e.wire.Since(mark)
	require.Len(t, sent, 4, "delete and three polls; no result to read")
	assert.Equal(t, "respond-async", sent[0].Header.Get("Prefer"))
	rows := collect(t, tbl.Rows(e.ctx))
	require.Len(t, rows, 2)
	assert.Equal(t, "fig", rows[0].Values[0][0])

	// The context ends the wait; the operation never ran, so the table
	// is as it was.
	e.srv.SetWorkbookOperationPolls(1 << 20)
	ctx, cancel := context.WithTimeout(e.ctx, 300*time.Millisecond)
	defer cancel()
	_, err = tbl.AddRows(ctx, [][]any{{"lime", 1}})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, tbl.DeleteRow(ctx, 0), context.DeadlineExceeded)
	assert.Len(t, collect(t, tbl.Rows(e.ctx)), 2)
}

// dropSkip plays a server that ignores $skip: every page is the first.
type dropSkip struct{ next http.RoundTripper }

func (d dropSkip) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	if q.Has("$skip") {
		r = r.Clone(r.Context())
		q.Del("$skip")
		r.URL.RawQuery = q.Encode()
	}
	return d.next.RoundTrip(r)
}

// Rows paged with $top/$skip from a server that ignores $skip would
// repeat the first page for ever; the second copy ends the iteration.
func TestRowsPagingStopsWhenSkipIsIgnored(t *testing.T) {
	e := newEnv(t)
	wb := openThrough(t, e, "Skip.xlsx", dropSkip{http.DefaultTransport})
	ws, err := wb.AddWorksheet(e.ctx, "Data")
	require.NoError(t, err)
	tbl, err := ws.AddTable(e.ctx, "A1:B1", true)
	require.NoError(t, err)
	_, err = tbl.AddRows(e.ctx, [][]any{{1, 2}, {3, 4}, {5, 6}, {7, 8}, {9, 10}})
	require.NoError(t, err)

	var got int
	var loopErr error
	for _, err := range tbl.Rows(e.ctx, o365.BatchSize(2)) {
		if err != nil {
			loopErr = err
			break
		}
		require.Less(t, got, 100, "still paging")
		got++
	}
	require.ErrorIs(t, loopErr, o365.ErrPagingLoop)
	assert.Equal(t, 2, got, "the first page, once")
	assert.ErrorContains(t, loopErr, "$skip=2")
}
