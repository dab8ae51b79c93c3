package calendar

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"time"

	"github.com/go-o365/o365/api"
)

// Attachment is a file (or Outlook item) attached to an event.
type Attachment struct {
	api.Component `json:"-"`

	// ODataType is "#microsoft.graph.fileAttachment" for files (the
	// default when adding), or "#microsoft.graph.itemAttachment".
	ODataType            string    `json:"@odata.type,omitempty"`
	ID                   string    `json:"id,omitempty"`
	Name                 string    `json:"name,omitempty"`
	ContentType          string    `json:"contentType,omitempty"`
	Size                 int64     `json:"size,omitempty"`
	IsInline             bool      `json:"isInline"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
	ContentID            string    `json:"contentId,omitempty"`
	ContentLocation      string    `json:"contentLocation,omitempty"`
	// ContentBytes is the file's content (base64 on the wire).
	ContentBytes []byte `json:"contentBytes,omitempty"`

	eventID string
}

// fileAttachment is the @odata.type of file attachments.
const fileAttachment = "#microsoft.graph.fileAttachment"

// MaxAttachmentSize is the largest attachment AddAttachment sends: Graph
// refuses requests over 4 MB, and base64 makes the content a third
// larger. Larger files need an upload session, which this package does
// not offer.
const MaxAttachmentSize = 3 << 20

func attachmentsPath(eventID string) string { return eventPath(eventID) + "/attachments" }

// Attachments iterates over the event's attachments, with their content.
func (e *Event) Attachments(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Attachment, error] {
	if e.ID == "" {
		return failed[*Attachment](ErrNotSaved)
	}
	return func(yield func(*Attachment, error) bool) {
		for a, err := range api.List[*Attachment](ctx, e.Con(), e.BuildURL(attachmentsPath(e.ID)), opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			a.Component, a.eventID = e.Component, e.ID
			if !yield(a, nil) {
				return
			}
		}
	}
}

// Attachment gets one attachment of the event, with its content.
func (e *Event) Attachment(ctx context.Context, id string) (*Attachment, error) {
	if e.ID == "" {
		return nil, ErrNotSaved
	}
	if id == "" {
		return nil, errors.New("calendar: Attachment: empty id")
	}
	a := new(Attachment)
	if err := e.GetJSON(ctx, e.BuildURL(attachmentsPath(e.ID)+"/"+url.PathEscape(id)), nil, a); err != nil {
		return nil, err
	}
	a.Component, a.eventID = e.Component, e.ID
	return a, nil
}

// AddAttachment attaches a to the saved event and fills a with what Graph
// answered (its id, size, content type). a needs a Name; it is a file
// attachment unless ODataType says otherwise, and ContentType may be left
// for Graph to guess. Content over MaxAttachmentSize is refused before
// any request.
func (e *Event) AddAttachment(ctx context.Context, a *Attachment) error {
	switch {
	case e.ID == "":
		return ErrNotSaved
	case a == nil || a.Name == "":
		return errors.New("calendar: AddAttachment: the attachment needs a name")
	case len(a.ContentBytes) > MaxAttachmentSize:
		return fmt.Errorf("calendar: AddAttachment: %q is %d bytes, over the %d bytes Graph takes in one request", a.Name, len(a.ContentBytes), MaxAttachmentSize)
	}
	if a.ODataType == "" {
		a.ODataType = fileAttachment
	}
	out := new(Attachment)
	if err := e.PostJSON(ctx, e.BuildURL(attachmentsPath(e.ID)), a, out); err != nil {
		return err
	}
	if out.ContentBytes == nil {
		out.ContentBytes = a.ContentBytes
	}
	*a = *out
	a.Component, a.eventID = e.Component, e.ID
	e.HasAttachments = true
	return nil
}

// Delete removes the attachment from its event.
func (a *Attachment) Delete(ctx context.Context) error {
	if a.ID == "" || a.eventID == "" {
		return ErrNotSaved
	}
	return a.Component.Delete(ctx, a.BuildURL(attachmentsPath(a.eventID)+"/"+url.PathEscape(a.ID)))
}
