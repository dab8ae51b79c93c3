package graphtest

// Excel workbooks of drive items (Graph's …/items/{id}/workbook).
//
// A drive file whose name ends in .xlsx is a workbook, whatever its
// bytes: its first workbook request gives it one worksheet, Sheet1. The
// emulator keeps cells per worksheet in a sparse map, so a range of
// 100,000 cells costs what its cells cost; it evaluates only what tests
// need (formulas of numbers, cell references, + - * / and SUM, AVERAGE,
// MAX, MIN, COUNT; the functions endpoint's sum, average, max, min,
// count and pmt), and keeps formats as they were set. Table filters hide
// rows from range visibleView; charts are kept per worksheet
// (excel_charts.go).
//
// Sessions (createSession, refreshSession, closeSession) are held per
// workbook: a persistent session works on the workbook itself, a
// non-persistent one on a copy made when it was created, thrown away
// with it. A session idle for longer than its timeout (7 minutes
// persistent, 5 non-persistent, as Graph's docs say; shorten them with
// SetWorkbookSessionTimeout, or end every session with
// ExpireWorkbookSessions) is gone: a call naming it gets 404 with the
// innerError code invalidSessionReCreatable of Graph's Excel error
// codes. createSession with Prefer: respond-async answers 202 with a
// Location monitor (workbook/operations/{id}), running for
// SetWorkbookOperationPolls polls, then succeeded with a resourceLocation
// (workbook/sessionInfoResource(key='…')) that reads the new session.
// Adding table rows and deleting a table row answer the same way; the
// change is made when a poll first reports succeeded (a reader polling
// before sees the old table), and an add's resourceLocation
// (tableRowOperationResult(key='…')) reads the rows added.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-o365/o365/graphtest/internal/workbook"
)

// excelStore holds the workbooks by drive item id, their sessions and
// the operations creating them. The zero value is ready (maps are made
// on first use); mu guards everything.
type excelStore struct {
	mu       sync.Mutex
	books    map[string]*workbook.Book
	sessions map[string]*xSession
	ops      map[string]*xOperation
	// Idle timeouts; zero means Graph's.
	persistIdle, tempIdle time.Duration
	// opPolls is how many polls a session operation reports running;
	// -1 answers createSession at once even when asked to respond async.
	opPolls    int
	opPollsSet bool
}

type xSession struct {
	id, itemID string
	persist    bool
	last       time.Time
	book       *workbook.Book // the item's book, or a copy for a non-persistent session
}

type xOperation struct {
	id, itemID, sessionID string
	polls                 int
	// rows is true for a table-row operation: its change waits in apply
	// until the first poll that reports succeeded, so a reader polling
	// in between sees the table as it was. result is what apply
	// answered (nil for a delete, which has no resourceLocation).
	rows    bool
	apply   func() (map[string]any, *workbook.Error)
	applied bool
	result  map[string]any
	failed  *workbook.Error
}

func (st *excelStore) initLocked() {
	if st.books == nil {
		st.books = map[string]*workbook.Book{}
		st.sessions = map[string]*xSession{}
		st.ops = map[string]*xOperation{}
	}
	if !st.opPollsSet {
		st.opPolls, st.opPollsSet = 1, true
	}
}

// SetWorkbookSessionTimeout sets how long workbook sessions may stay
// idle before they lapse: persistent and non-persistent ones. Zero keeps
// Graph's (7 and 5 minutes).
func (s *Server) SetWorkbookSessionTimeout(persistent, nonPersistent time.Duration) {
	s.excel.mu.Lock()
	defer s.excel.mu.Unlock()
	s.excel.persistIdle, s.excel.tempIdle = persistent, nonPersistent
}

// ExpireWorkbookSessions ends every workbook session now, as if each had
// stayed idle too long. Changes of non-persistent sessions are lost.
func (s *Server) ExpireWorkbookSessions() {
	s.excel.mu.Lock()
	defer s.excel.mu.Unlock()
	s.excel.initLocked()
	clear(s.excel.sessions)
}

// SetWorkbookOperationPolls sets how many polls of a long-running
// operation (Prefer: respond-async) report "running" before it
// succeeds (1 by default): createSession, adding table rows and
// deleting a table row, the three Graph runs this way. -1 makes them
// answer at once (201 or 204) even when asked to respond async, as
// Graph does when the work is quick.
func (s *Server) SetWorkbookOperationPolls(n int) {
	s.excel.mu.Lock()
	defer s.excel.mu.Unlock()
	s.excel.opPolls, s.excel.opPollsSet = n, true
}

// WorkbookSessions is the number of open workbook sessions, for tests
// that check sessions are closed.
func (s *Server) WorkbookSessions() int {
	s.excel.mu.Lock()
	defer s.excel.mu.Unlock()
	return len(s.excel.sessions)
}

// WorkbookValues reads the values of a range ("Sheet1!A1:C3") of the
// saved workbook of the drive item itemID, as a test's check of what a
// client wrote; changes of non-persistent sessions are not there.
func (s *Server) WorkbookValues(itemID, address string) ([][]any, error) {
	st := &s.excel
	st.mu.Lock()
	defer st.mu.Unlock()
	st.initLocked()
	b := st.books[itemID]
	if b == nil {
		return nil, fmt.Errorf("graphtest: item %q has no workbook yet", itemID)
	}
	a, err := workbook.ParseAddress(address)
	if err != nil {
		return nil, err
	}
	sh := b.SheetByName(a.Sheet)
	if sh == nil {
		return nil, fmt.Errorf("graphtest: no worksheet %q", a.Sheet)
	}
	return b.ValuesGrid(sh, a), nil
}

// writeExcelErr answers e as Graph's Excel API does; Inner becomes the
// innerError code.
func writeExcelErr(w http.ResponseWriter, e *workbook.Error) {
	var extra map[string]any
	if e.Inner != "" {
		extra = map[string]any{"code": e.Inner}
	}
	writeGraphErrorExtra(w, e.Status, e.Code, e.Message, extra)
}

func xSessionGone() *workbook.Error {
	return &workbook.Error{Status: http.StatusNotFound, Code: "itemNotFound", Message: "The target session is invalid.", Inner: "invalidSessionReCreatable"}
}

func xMethod() *workbook.Error {
	return &workbook.Error{Status: http.StatusMethodNotAllowed, Code: "methodNotAllowed", Message: "The HTTP method in the request is not allowed on the resource.", Inner: "methodNotAllowed"}
}

func xUnknown(seg string) *workbook.Error {
	return &workbook.Error{Status: http.StatusBadRequest, Code: "BadRequest", Message: "Resource not found for the segment '" + seg + "'.", Inner: ""}
}

// workbookRequest is one request below …/workbook, with its book.
type workbookRequest struct {
	w       http.ResponseWriter
	r       *http.Request
	book    *workbook.Book
	base    string // the workbook's URL as the request named it
	session *xSession
	st      *excelStore
	itemID  string
}

// sameSession reports whether a request may see op: a row operation
// made in a session is visible only without a session header or in
// that session, like the rows it changes.
func (wr *workbookRequest) sameSession(op *xOperation) bool {
	return op.itemID == wr.itemID && (!op.rows || wr.session == nil || wr.session.id == op.sessionID)
}

// respondAsync reports whether the request asked for a long-running
// operation and the emulator is set to make one.
func (wr *workbookRequest) respondAsync() bool {
	async := false
	for _, v := range wr.r.Header.Values("Prefer") {
		async = async || strings.Contains(strings.ToLower(v), "respond-async")
	}
	return async && wr.st.opPolls >= 0
}

// startRowOperation answers 202 with an operation that runs apply when
// a poll first finds it succeeded.
func (wr *workbookRequest) startRowOperation(apply func() (map[string]any, *workbook.Error)) {
	op := &xOperation{id: newGUID(), itemID: wr.itemID, polls: wr.st.opPolls, rows: true, apply: apply}
	if wr.session != nil {
		op.sessionID = wr.session.id
	}
	wr.st.ops[op.id] = op
	wr.w.Header().Set("Location", wr.base+"/operations/"+op.id)
	writeGraphJSON(wr.w, http.StatusAccepted, map[string]any{})
}

// serveWorkbook answers a request below a drive item's /workbook; ops
// are the unescaped segments after it. The drive layer has checked the
// caller's access to the item.
func (s *Server) serveWorkbook(w http.ResponseWriter, r *http.Request, it *gItem, ops []string) {
	c := callerOf(r)
	read := r.Method == http.MethodGet
	if !c.appOnly() && !hasScope(c, "Files.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All") &&
		!(read && hasScope(c, "Files.Read", "Files.Read.All", "Sites.Read.All")) {
		accessDenied(w)
		return
	}
	if it.folder || !strings.HasSuffix(strings.ToLower(it.name), ".xlsx") {
		writeExcelErr(w, &workbook.Error{Status: http.StatusBadRequest, Code: "invalidRequest", Message: "The file is not an Excel workbook (.xlsx).", Inner: "unsupportedWorkbook"})
		return
	}
	// The workbook's URL as the request named it: the segments up to
	// "workbook", which ops follow one for one.
	segs := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	base := s.graphBase(r) + "/" + strings.Join(segs[:len(segs)-len(ops)], "/")
	st := &s.excel
	st.mu.Lock()
	defer st.mu.Unlock()
	st.initLocked()
	book := st.books[it.id]
	if book == nil {
		book = workbook.New()
		st.books[it.id] = book
	}
	wr := &workbookRequest{w: w, r: r, book: book, base: base, st: st, itemID: it.id}
	if len(ops) == 0 {
		if r.Method != http.MethodGet {
			writeExcelErr(w, xMethod())
			return
		}
		writeGraphJSON(w, http.StatusOK, map[string]any{"@odata.context": s.GraphURL() + "/v1.0/$metadata#workbook"})
		return
	}
	name, key, args := workbook.ParseSegment(ops[0])
	switch strings.ToLower(name) {
	case "createsession":
		s.createWorkbookSession(wr, it.id)
		return
	case "sessioninforesource":
		var sess *xSession
		if op := st.ops[args["key"]]; op != nil {
			sess = st.sessions[op.sessionID]
		}
		if sess == nil || sess.itemID != it.id || len(ops) > 1 {
			writeExcelErr(w, workbook.NotFound("session info"))
			return
		}
		sess.last = s.now()
		writeGraphJSON(w, http.StatusOK, workbookSessionJSON(s, sess))
		return
	}
	if id := r.Header.Get("workbook-session-id"); id != "" {
		sess := st.sessions[id]
		if sess != nil && s.now().Sub(sess.last) > st.idle(sess.persist) {
			delete(st.sessions, id)
			sess = nil
		}
		if sess == nil || sess.itemID != it.id {
			writeExcelErr(w, xSessionGone())
			return
		}
		sess.last = s.now()
		wr.session, wr.book = sess, sess.book
	}
	switch strings.ToLower(name) {
	case "operations":
		s.workbookOperation(wr, it.id, ops[1:])
	case "tablerowoperationresult":
		op := st.ops[args["key"]]
		if op == nil || !op.rows || op.result == nil || !wr.sameSession(op) || len(ops) > 1 {
			writeExcelErr(w, workbook.NotFound("table row operation result"))
			return
		}
		if r.Method != http.MethodGet {
			writeExcelErr(w, xMethod())
			return
		}
		wr.entity(http.StatusOK, op.result, "rows")
	case "refreshsession", "closesession":
		if r.Method != http.MethodPost {
			writeExcelErr(w, xMethod())
			return
		}
		if wr.session == nil {
			writeExcelErr(w, &workbook.Error{Status: http.StatusBadRequest, Code: "invalidRequest", Message: "The workbook-session-id header is required.", Inner: "badRequestUncategorized"})
			return
		}
		if strings.EqualFold(name, "closesession") {
			delete(st.sessions, wr.session.id)
		}
		w.WriteHeader(http.StatusNoContent)
	case "worksheets":
		wr.serveWorksheets(ops[1:], key)
	case "tables":
		wr.serveTables(nil, ops[1:], key)
	case "names":
		wr.serveNames(ops[1:], key)
	case "functions":
		wr.serveFunction(ops[1:])
	default:
		writeExcelErr(w, xUnknown(ops[0]))
	}
}

func (st *excelStore) idle(persist bool) time.Duration {
	switch {
	case persist && st.persistIdle > 0:
		return st.persistIdle
	case persist:
		return 7 * time.Minute
	case st.tempIdle > 0:
		return st.tempIdle
	}
	return 5 * time.Minute
}

func workbookSessionJSON(s *Server, sess *xSession) map[string]any {
	return map[string]any{
		"@odata.context": s.GraphURL() + "/v1.0/$metadata#microsoft.graph.workbookSessionInfo",
		"id":             sess.id,
		"persistChanges": sess.persist,
	}
}

// createWorkbookSession answers POST createSession; with Prefer:
// respond-async it answers 202 with an operation to poll. Called with
// s.excel.mu held.
func (s *Server) createWorkbookSession(wr *workbookRequest, itemID string) {
	if wr.r.Method != http.MethodPost {
		writeExcelErr(wr.w, xMethod())
		return
	}
	var body struct {
		PersistChanges *bool `json:"persistChanges"`
	}
	if e := readExcelBody(wr.r, &body); e != nil {
		writeExcelErr(wr.w, e)
		return
	}
	st := &s.excel
	sess := &xSession{id: randomToken(), itemID: itemID, persist: body.PersistChanges != nil && *body.PersistChanges, last: s.now()}
	sess.book = wr.book
	if !sess.persist {
		sess.book = wr.book.Clone()
	}
	st.sessions[sess.id] = sess
	async := false
	for _, v := range wr.r.Header.Values("Prefer") {
		async = async || strings.Contains(strings.ToLower(v), "respond-async")
	}
	if !async || st.opPolls < 0 {
		writeGraphJSON(wr.w, http.StatusCreated, workbookSessionJSON(s, sess))
		return
	}
	op := &xOperation{id: newGUID(), itemID: itemID, sessionID: sess.id, polls: st.opPolls}
	st.ops[op.id] = op
	wr.w.Header().Set("Location", wr.base+"/operations/"+op.id)
	writeGraphJSON(wr.w, http.StatusAccepted, map[string]any{})
}

// workbookOperation answers GET operations/{id}.
func (s *Server) workbookOperation(wr *workbookRequest, itemID string, rest []string) {
	if wr.r.Method != http.MethodGet {
		writeExcelErr(wr.w, xMethod())
		return
	}
	if len(rest) != 1 {
		writeExcelErr(wr.w, xUnknown("operations"))
		return
	}
	op := s.excel.ops[rest[0]]
	if op == nil || op.itemID != itemID || !wr.sameSession(op) {
		writeExcelErr(wr.w, workbook.NotFound("operation"))
		return
	}
	out := map[string]any{"id": op.id, "status": "running"}
	switch {
	case op.polls > 0:
		op.polls--
	case !op.rows:
		out["status"] = "succeeded"
		out["resourceLocation"] = wr.base + "/sessionInfoResource(key='" + op.id + "')"
	default:
		if !op.applied {
			op.applied = true
			op.result, op.failed = op.apply()
		}
		if op.failed != nil {
			out["status"] = "failed"
			out["error"] = map[string]any{"code": op.failed.Code, "message": op.failed.Message}
			break
		}
		out["status"] = "succeeded"
		if op.result != nil {
			out["resourceLocation"] = wr.base + "/tableRowOperationResult(key='" + op.id + "')"
		}
	}
	writeGraphJSON(wr.w, http.StatusOK, out)
}

// readExcelBody decodes a JSON body (empty: v unchanged). Range writes
// can be large, so the limit is generous.
func readExcelBody(r *http.Request, v any) *workbook.Error {
	data, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		return workbook.Invalid("The request body could not be read.")
	}
	if strings.TrimSpace(string(data)) == "" {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return &workbook.Error{Status: http.StatusBadRequest, Code: "invalidRequest", Message: "The request body is not valid JSON: " + err.Error(), Inner: "badRequestUncategorized"}
	}
	return nil
}

// keyOf is the key of a collection item: the next segment ("Sheet1"),
// or the key in the collection segment itself ("worksheets('Sheet1')").
func keyOf(key string, rest []string) (string, []string) {
	if key != "" {
		return key, rest
	}
	if len(rest) == 0 {
		return "", rest
	}
	return rest[0], rest[1:]
}

// intArg reads an integer argument.
func intArg(args map[string]string, name string) (int, bool) {
	n, err := strconv.Atoi(args[name])
	return n, err == nil
}
