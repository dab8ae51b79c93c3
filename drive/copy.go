package drive

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/go-o365/o365/api"
)

// OperationStatus is what the monitor URL of a long-running action (a
// copy) reports (Graph's asyncJobStatus).
type OperationStatus struct {
	Operation          string  `json:"operation,omitempty"` // e.g. "ItemCopy"
	PercentageComplete float64 `json:"percentageComplete,omitempty"`
	// ResourceID is the id of the item made, once Status is completed.
	ResourceID string `json:"resourceId,omitempty"`
	// Status: notStarted, inProgress, completed, updating, failed,
	// deletePending, deleteFailed, waiting.
	Status            string            `json:"status,omitempty"`
	StatusDescription string            `json:"statusDescription,omitempty"`
	Error             *OperationFailure `json:"error,omitempty"`
}

// OperationFailure is the error a monitor reports.
type OperationFailure struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// OperationError is returned when a long-running action's monitor
// reports that the action failed.
type OperationError struct {
	What   string // the action, e.g. `copy of "report.docx"`
	Status OperationStatus
}

// Error names the action and what the monitor said.
func (e *OperationError) Error() string {
	msg := "o365: " + e.What + " " + e.Status.Status
	if f := e.Status.Error; f != nil {
		if f.Code != "" {
			msg += ": " + f.Code
		}
		if f.Message != "" {
			msg += ": " + f.Message
		}
	} else if e.Status.StatusDescription != "" {
		msg += ": " + e.Status.StatusDescription
	}
	return msg
}

// Monitor polling: the first poll is immediate, then the wait doubles
// from pollFirst up to pollMax unless the monitor sends Retry-After.
const (
	pollFirst = 50 * time.Millisecond
	pollMax   = 5 * time.Second
)

// Copy copies the item (a folder with everything in it) into folder, or
// beside itself when folder is nil, naming the copy name (the same name
// when empty; a copy beside itself needs a new one). Graph copies in the
// background: Copy polls the monitor URL Graph answers with until the
// copy is done and returns the new item. Cancelling ctx stops the wait,
// not the copy. A failed copy is an *OperationError carrying the
// monitor's code and message.
func (i *DriveItem) Copy(ctx context.Context, folder *DriveItem, name string) (*DriveItem, error) {
	if err := i.ready("Copy"); err != nil {
		return nil, err
	}
	ref := map[string]any{}
	destDrive := i.driveID()
	if folder != nil {
		if err := folder.ready("Copy (target folder)"); err != nil {
			return nil, err
		}
		ref["id"] = folder.targetID()
		if d := folder.driveID(); d != "" {
			ref["driveId"] = d
			destDrive = d
		}
	} else if name == "" || name == i.Name {
		return nil, fmt.Errorf("o365: Copy: a copy of %q in its own folder needs a new name", i.Name)
	}
	body := map[string]any{}
	if len(ref) > 0 {
		body["parentReference"] = ref
	}
	if name != "" {
		if err := checkName("Copy", name); err != nil {
			return nil, err
		}
		body["name"] = name
	}
	resp, err := i.Con().Post(ctx, i.url("/copy"), body)
	if err != nil {
		return nil, err
	}
	monitor := resp.Header.Get("Location")
	if err := api.DecodeResponse(resp, nil); err != nil {
		return nil, err
	}
	if monitor == "" {
		return nil, fmt.Errorf("o365: Copy of %q: Graph answered %d without a monitor URL (Location)", i.Name, resp.StatusCode)
	}
	what := fmt.Sprintf("copy of %q", i.Name)
	st, err := waitOperation(ctx, i.Con(), monitor, what)
	if err != nil {
		return nil, err
	}
	if st.ResourceID == "" {
		return nil, fmt.Errorf("o365: %s completed, but the monitor named no item", what)
	}
	drivePath := i.drivePath
	if destDrive != "" {
		drivePath = "drives/" + PathSegment(destDrive)
	}
	copied := new(DriveItem)
	if err := i.GetJSON(ctx, i.BuildBaseURL("/"+drivePath+"/items/"+PathSegment(st.ResourceID)), nil, copied); err != nil {
		return nil, fmt.Errorf("o365: %s completed; fetching the new item: %w", what, err)
	}
	copied.attach(i.Component, drivePath)
	return copied, nil
}

// waitOperation polls a monitor URL until the action completes or fails.
// Monitor URLs are pre-authenticated: they get no bearer token.
func waitOperation(ctx context.Context, con api.Requester, monitor, what string) (*OperationStatus, error) {
	wait := pollFirst
	for {
		st, status, retryAfter, err := pollOperation(ctx, con, monitor)
		if err != nil {
			return nil, fmt.Errorf("o365: waiting for the %s: %w", what, err)
		}
		switch st.Status {
		case "completed":
			return st, nil
		case "failed", "deleteFailed", "cancelled":
			return nil, &OperationError{What: what, Status: *st}
		}
		d := wait
		if retryAfter > 0 {
			d = retryAfter
			if why := api.WaitLimit(ctx, d, api.MaxRetryWait(con)); why != "" {
				e := &api.GraphError{StatusCode: status, Method: http.MethodGet, URL: api.RedactURL(monitor),
					Message: "the " + what + " is " + st.Status}
				return nil, api.RefuseWait(e, d, why)
			}
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("o365: waiting for the %s: %w", what, ctx.Err())
		case <-t.C:
		}
		wait = min(wait*2, pollMax)
	}
}

// pollOperation asks the monitor once, returning its status, the HTTP
// status it answered and the Retry-After it asked for.
func pollOperation(ctx context.Context, con api.Requester, monitor string) (*OperationStatus, int, time.Duration, error) {
	req, err := api.NewRequest(api.Anonymous(ctx), http.MethodGet, monitor, nil, nil)
	if err != nil {
		return nil, 0, 0, err
	}
	resp, err := con.Do(req)
	if err != nil {
		return nil, 0, 0, err
	}
	retryAfter, _ := api.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	st := new(OperationStatus)
	if err := api.DecodeResponse(resp, st); err != nil {
		return nil, 0, 0, err
	}
	if st.Status == "" {
		return nil, 0, 0, errors.New("the monitor's answer has no status")
	}
	return st, resp.StatusCode, retryAfter, nil
}
