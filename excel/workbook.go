package excel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/drive"
)

// How long Graph keeps an idle workbook session, from the createSession
// page of the v1.0 documentation: about 7 minutes for a persistent
// session and 5 for a non-persistent one.
const (
	PersistentSessionLapse    = 7 * time.Minute
	NonPersistentSessionLapse = 5 * time.Minute
)

// DefaultKeepAlive is how long a session may stay idle before Open's
// background refresh calls refreshSession: well inside both lapses.
const DefaultKeepAlive = 2 * time.Minute

// SessionHeader is the request header that names the workbook session.
const SessionHeader = "workbook-session-id"

// ErrSessionExpired matches (errors.Is) the error of a call made in a
// persistent session that Graph no longer knows: it lapsed, or was
// closed elsewhere. Changes made since the last successful call may be
// lost; open the workbook again to go on.
var ErrSessionExpired = errors.New("o365: excel: the workbook session expired")

// Option shapes Open.
type Option func(*config)

type config struct {
	session   bool
	persist   bool
	keepAlive time.Duration
}

// NonPersistent opens a session whose changes Graph never saves to the
// file: they live in a temporary copy until the session ends. Useful
// for what-if calculations. A lapsed non-persistent session is replaced
// by a new one, and the call retried once, without the caller noticing
// (the changes made in the lapsed one are gone either way).
func NonPersistent() Option { return func(c *config) { c.persist = false } }

// WithoutSession sends every call without a workbook session: each one
// is saved to the file at once. Graph recommends a session when making
// several calls; this suits a single read or write.
func WithoutSession() Option { return func(c *config) { c.session = false } }

// KeepAlive sets how long the session may stay idle before a background
// refreshSession keeps it from lapsing (DefaultKeepAlive by default);
// zero or less turns the background refresh off.
func KeepAlive(d time.Duration) Option { return func(c *config) { c.keepAlive = d } }

// Workbook is an Excel workbook stored in a drive, reached through Graph
// at /drives/{drive-id}/items/{item-id}/workbook, so it works for every
// kind of drive. Get one with Open; Close it when done. Its methods are
// safe for concurrent use, though Graph advises sending one request at a
// time per workbook.
type Workbook struct {
	api.Component
	base    string // the workbook's URL
	name    string // the file name, for messages
	session bool
	persist bool

	mu       sync.Mutex
	id       string    // the current session id
	lastUsed time.Time // of the session, for the keep-alive
	closed   bool
	stop     chan struct{}
	done     chan struct{}
}

// Open opens the workbook in a drive item (a .xlsx file fetched from a
// drive) and, unless WithoutSession is given, creates a persistent
// workbook session (NonPersistent for one whose changes are not saved).
// The session is created with the long-running pattern: when Graph
// answers 202, Open polls the operation until the session is ready, and
// ctx ends the wait. While the workbook is open, a background refresh
// keeps an idle session alive (KeepAlive); Close ends it.
func Open(ctx context.Context, item *drive.DriveItem, opts ...Option) (*Workbook, error) {
	cfg := config{session: true, persist: true, keepAlive: DefaultKeepAlive}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if item == nil || item.Con() == nil {
		return nil, fmt.Errorf("o365: excel: Open: the DriveItem %w", drive.ErrNotBound)
	}
	if item.Folder != nil {
		return nil, fmt.Errorf("o365: excel: Open: %q is a folder, not a workbook", item.Name)
	}
	var driveID, itemID string
	switch {
	case item.RemoteItem != nil && item.RemoteItem.ParentReference != nil && item.RemoteItem.ParentReference.DriveID != "":
		driveID, itemID = item.RemoteItem.ParentReference.DriveID, item.RemoteItem.ID
	case item.ParentReference != nil && item.ParentReference.DriveID != "":
		driveID, itemID = item.ParentReference.DriveID, item.ID
	default:
		return nil, fmt.Errorf("o365: excel: Open: the DriveItem %q has no parentReference.driveId; fetch it from its drive", item.Name)
	}
	if itemID == "" {
		return nil, fmt.Errorf("o365: excel: Open: the DriveItem %q has no id", item.Name)
	}
	wb := &Workbook{
		Component: item.Component,
		base:      item.BuildBaseURL("/drives/" + drive.PathSegment(driveID) + "/items/" + drive.PathSegment(itemID) + "/workbook"),
		name:      item.Name,
		session:   cfg.session,
		persist:   cfg.persist,
	}
	if !cfg.session {
		return wb, nil
	}
	id, err := wb.createSession(ctx)
	if err != nil {
		return nil, err
	}
	wb.id, wb.lastUsed = id, time.Now()
	if cfg.keepAlive > 0 {
		wb.stop, wb.done = make(chan struct{}), make(chan struct{})
		go wb.keepAlive(context.WithoutCancel(ctx), cfg.keepAlive)
	}
	return wb, nil
}

// SessionID is the id of the current workbook session ("" without one).
// A non-persistent session that lapsed is replaced, so the id can change.
func (w *Workbook) SessionID() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.id
}

// Persistent reports whether changes are saved to the file: with a
// persistent session, or without a session.
func (w *Workbook) Persistent() bool { return !w.session || w.persist }

// URL is the workbook's Graph URL, …/drives/{drive-id}/items/{item-id}/workbook.
func (w *Workbook) URL() string { return w.base }

// SessionInfo is Graph's workbookSessionInfo: what createSession and
// a session operation's resourceLocation answer.
type SessionInfo struct {
	ID             string `json:"id,omitempty"`
	PersistChanges bool   `json:"persistChanges"`
}

// Operation is a workbook long-running operation, as its monitor
// (workbook/operations/{id}) reports it.
type Operation struct {
	ID               string         `json:"id,omitempty"`
	Status           string         `json:"status,omitempty"` // notStarted, running, succeeded (or Completed), failed
	ResourceLocation string         `json:"resourceLocation,omitempty"`
	Error            *OperationFail `json:"error,omitempty"`
}

// OperationFail is the error a failed operation reports.
type OperationFail struct {
	Code       string         `json:"code,omitempty"`
	Message    string         `json:"message,omitempty"`
	InnerError *OperationFail `json:"innerError,omitempty"`
}

// Operation polling: immediate first poll, then doubling waits up to
// pollMax unless the monitor sends Retry-After.
const (
	pollFirst = 50 * time.Millisecond
	pollMax   = 5 * time.Second
)

// createSession asks for a session with Prefer: respond-async and waits
// on the operation when Graph answers 202.
func (w *Workbook) createSession(ctx context.Context) (string, error) {
	req, err := api.NewRequest(ctx, http.MethodPost, w.base+"/createSession", nil, SessionInfo{PersistChanges: w.persist})
	if err != nil {
		return "", err
	}
	req.Header.Set("Prefer", "respond-async")
	resp, err := w.Con().Do(req)
	if err != nil {
		return "", fmt.Errorf("o365: excel: creating a session on %q: %w", w.name, err)
	}
	info := new(SessionInfo)
	if resp.StatusCode == http.StatusAccepted {
		monitor := resp.Header.Get("Location")
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if monitor == "" {
			return "", fmt.Errorf("o365: excel: creating a session on %q: Graph answered 202 without a Location", w.name)
		}
		op, err := w.waitOperation(ctx, monitor)
		if err != nil {
			return "", fmt.Errorf("o365: excel: creating a session on %q: %w", w.name, err)
		}
		if op.ResourceLocation == "" {
			return "", fmt.Errorf("o365: excel: creating a session on %q: the operation succeeded without a resourceLocation", w.name)
		}
		if err := w.GetJSON(ctx, op.ResourceLocation, nil, info); err != nil {
			return "", fmt.Errorf("o365: excel: reading the new session of %q: %w", w.name, err)
		}
	} else if err := api.DecodeResponse(resp, info); err != nil {
		return "", fmt.Errorf("o365: excel: creating a session on %q: %w", w.name, err)
	}
	if info.ID == "" {
		return "", fmt.Errorf("o365: excel: creating a session on %q: Graph sent no session id", w.name)
	}
	return info.ID, nil
}

// waitOperation polls a workbook operation until it succeeds or fails.
func (w *Workbook) waitOperation(ctx context.Context, monitor string) (*Operation, error) {
	wait := pollFirst
	for {
		resp, err := w.Con().Get(ctx, monitor, nil)
		if err != nil {
			return nil, fmt.Errorf("polling the operation: %w", err)
		}
		retryAfter, _ := api.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		status := resp.StatusCode
		op := new(Operation)
		if err := api.DecodeResponse(resp, op); err != nil {
			return nil, fmt.Errorf("polling the operation: %w", err)
		}
		// The example of Graph's page writes "succeeded", its resource
		// page lists NotStarted, Running, Completed and Failed: either
		// word ends the wait, in any case.
		switch strings.ToLower(op.Status) {
		case "succeeded", "completed":
			return op, nil
		case "failed":
			msg := "the operation failed"
			for f := op.Error; f != nil; f = f.InnerError {
				msg += ": " + strings.Trim(f.Code+" "+f.Message, " ")
			}
			return nil, errors.New(msg)
		case "":
			return nil, errors.New("the operation's answer has no status")
		}
		d := wait
		if retryAfter > 0 {
			d = retryAfter
			// A monitor asking for years would park Open (or a lapsed
			// session's renewal) for them: refuse, as the connection does.
			if why := api.WaitLimit(ctx, d, api.MaxRetryWait(w.Con())); why != "" {
				e := &api.GraphError{StatusCode: status, Method: http.MethodGet, URL: api.RedactURL(monitor),
					Message: "the operation is " + op.Status}
				return nil, api.RefuseWait(e, d, why)
			}
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("waiting for the operation: %w", ctx.Err())
		case <-t.C:
		}
		wait = min(wait*2, pollMax)
	}
}

// Refresh calls refreshSession, keeping the session from lapsing. Open's
// background refresh does this on its own; without a session it does
// nothing.
func (w *Workbook) Refresh(ctx context.Context) error {
	if !w.session {
		return nil
	}
	return w.do(ctx, http.MethodPost, "/refreshSession", nil, struct{}{}, nil)
}

// Close ends the background refresh and closes the session
// (closeSession). A session that already lapsed is not an error. Close
// is safe to call twice; calls after it fail.
func (w *Workbook) Close(ctx context.Context) error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return nil
	}
	w.closed = true
	id := w.id
	stop, done := w.stop, w.done
	w.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	if !w.session || id == "" {
		return nil
	}
	req, err := api.NewRequest(ctx, http.MethodPost, w.base+"/closeSession", nil, struct{}{})
	if err != nil {
		return err
	}
	req.Header.Set(SessionHeader, id)
	resp, err := w.Con().Do(req)
	if err != nil {
		if sessionGone(err) {
			return nil
		}
		return fmt.Errorf("o365: excel: closing the session of %q: %w", w.name, err)
	}
	return api.DecodeResponse(resp, nil)
}

// keepAlive refreshes the session whenever it has been idle for every.
func (w *Workbook) keepAlive(ctx context.Context, every time.Duration) {
	defer close(w.done)
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
		}
		w.mu.Lock()
		idle := time.Since(w.lastUsed)
		w.mu.Unlock()
		next := every - idle
		if next <= 0 {
			// A failure is left for the next call to meet: it reports
			// a lapsed persistent session, or replaces a temporary one.
			_ = w.Refresh(ctx)
			next = every
		}
		t.Reset(next)
	}
}

// sessionGone reports Graph's answer to a session it no longer has: the
// invalidSession… codes of the Excel error-handling page (top level or
// in innerError).
func sessionGone(err error) bool {
	var ge *api.GraphError
	if !errors.As(err, &ge) {
		return false
	}
	return hasPrefixFold(ge.InnerCode, "invalidSession") || hasPrefixFold(ge.Code, "invalidSession")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// do sends one workbook call: method on the workbook URL followed by
// rest, with params, body (nil for none) and the session header, and
// decodes the answer into out (nil discards it). A lapsed non-persistent
// session is replaced and the call retried once; a lapsed persistent one
// is reported as ErrSessionExpired.
func (w *Workbook) do(ctx context.Context, method, rest string, params api.Params, body, out any) error {
	if err := w.ready(); err != nil {
		return err
	}
	return w.doURL(ctx, method, w.base+rest, params, body, out)
}

// errNoWorkbook is the error of a call on a Workbook that Open did not
// make, or on a Range made by hand rather than by a Workbook's or
// Worksheet's Range.
var errNoWorkbook = errors.New("o365: excel: no open workbook: get the Workbook from excel.Open, and ranges from its Range or a Worksheet's")

// ready refuses a Workbook Open did not make: it has no connection or URL
// to call.
func (w *Workbook) ready() error {
	if w == nil || w.Con() == nil || w.base == "" {
		return errNoWorkbook
	}
	return nil
}

// doURL is do for a full URL below the workbook (a nextLink).
func (w *Workbook) doURL(ctx context.Context, method, url string, params api.Params, body, out any) error {
	if err := w.ready(); err != nil {
		return err
	}
	rest := strings.TrimPrefix(url, w.base)
	w.mu.Lock()
	closed, id := w.closed, w.id
	w.mu.Unlock()
	if closed {
		return fmt.Errorf("o365: excel: %s %s: the workbook %q is closed", method, rest, w.name)
	}
	err := w.send(ctx, method, url, params, body, out, id)
	if err == nil || !w.session || !sessionGone(err) {
		return err
	}
	if w.persist {
		return fmt.Errorf("o365: excel: %s on %q: %w; changes since the last successful call may be lost (%w)",
			strings.TrimPrefix(rest, "/"), w.name, ErrSessionExpired, err)
	}
	newID, rerr := w.renew(ctx, id)
	if rerr != nil {
		return fmt.Errorf("o365: excel: the temporary session of %q lapsed and a new one could not be made: %w", w.name, rerr)
	}
	return w.send(ctx, method, url, params, body, out, newID)
}

// renew replaces the session old with a new one, unless another call
// already did.
func (w *Workbook) renew(ctx context.Context, old string) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.id != old {
		return w.id, nil
	}
	id, err := w.createSession(ctx)
	if err != nil {
		return "", err
	}
	w.id, w.lastUsed = id, time.Now()
	return id, nil
}

func (w *Workbook) send(ctx context.Context, method, url string, params api.Params, body, out any, id string) error {
	req, err := api.NewRequest(ctx, method, url, params, body)
	if err != nil {
		return err
	}
	if id != "" {
		req.Header.Set(SessionHeader, id)
	}
	if ctx.Value(respondAsyncKey{}) != nil {
		req.Header.Set("Prefer", "respond-async")
	}
	resp, err := w.Con().Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusAccepted && resp.Header.Get("Location") != "" {
		if err := w.awaitResult(ctx, resp, out, id); err != nil {
			return fmt.Errorf("o365: excel: %s %s on %q: %w", method, strings.TrimPrefix(url, w.base), w.name, err)
		}
	} else if err := api.DecodeResponse(resp, out); err != nil {
		return err
	}
	if id != "" {
		w.mu.Lock()
		w.lastUsed = time.Now()
		w.mu.Unlock()
	}
	return nil
}

// respondAsyncKey marks a call's context to ask Graph for the
// long-running pattern (Prefer: respond-async): adding table rows and
// deleting one, which Graph documents as operations that may take long
// enough for a plain call to time out on a big table.
type respondAsyncKey struct{}

func respondAsync(ctx context.Context) context.Context {
	return context.WithValue(ctx, respondAsyncKey{}, true)
}

// awaitResult finishes a call Graph answered 202 with a monitor URL (the
// workbook's long-running pattern, which Graph may use for any call that
// takes long, not only createSession): it polls the operation until it
// ends, ctx ending the wait, and reads the result from the operation's
// resourceLocation into out.
func (w *Workbook) awaitResult(ctx context.Context, resp *http.Response, out any, id string) error {
	monitor := resp.Header.Get("Location")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	op, err := w.waitOperation(ctx, monitor)
	if err != nil {
		return err
	}
	// A delete succeeds with no resourceLocation: nothing to read.
	if out == nil {
		return nil
	}
	if op.ResourceLocation == "" {
		return errors.New("the operation succeeded without a resourceLocation to read its result from")
	}
	req, err := api.NewRequest(ctx, http.MethodGet, op.ResourceLocation, nil, nil)
	if err != nil {
		return err
	}
	if id != "" {
		req.Header.Set(SessionHeader, id)
	}
	if err := w.DoJSON(req, out); err != nil {
		return fmt.Errorf("reading the operation's result: %w", err)
	}
	return nil
}
