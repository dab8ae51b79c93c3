package planner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// @odata.type values Planner requires on the open-type members it is
// sent.
const (
	checklistItemType = "#microsoft.graph.plannerChecklistItem"
	referenceType     = "#microsoft.graph.plannerExternalReference"
)

// Preview types: what a task's card shows.
const (
	PreviewAutomatic   = "automatic"
	PreviewNone        = "noPreview"
	PreviewChecklist   = "checklist"
	PreviewDescription = "description"
	PreviewReference   = "reference"
)

// TaskDetails are the larger properties of a task (plannerTaskDetails):
// its description, checklist and references. Change them and call Save;
// only what changed is sent, under the details' own etag.
type TaskDetails struct {
	api.Component `json:"-"`

	ETag        string `json:"@odata.etag,omitempty"`
	ID          string `json:"id,omitempty"` // the task's id
	Description string `json:"description,omitempty"`
	// PreviewType is one of the Preview… constants.
	PreviewType string     `json:"previewType,omitempty"`
	Checklist   Checklist  `json:"checklist,omitempty"`
	References  References `json:"references,omitempty"`

	saved *TaskDetails
}

// ChecklistItem is one item of a task's checklist (plannerChecklistItem).
type ChecklistItem struct {
	ODataType            string       `json:"@odata.type,omitempty"`
	Title                string       `json:"title,omitempty"`
	IsChecked            bool         `json:"isChecked"`
	OrderHint            string       `json:"orderHint,omitempty"`
	LastModifiedBy       *IdentitySet `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time    `json:"lastModifiedDateTime,omitzero"`
}

// Checklist is a task's checklist (plannerChecklistItems): items keyed by
// an id the client chooses, a GUID (AddChecklistItem makes one).
type Checklist map[string]ChecklistItem

// ExternalReference is a link attached to a task (plannerExternalReference).
type ExternalReference struct {
	ODataType            string       `json:"@odata.type,omitempty"`
	Alias                string       `json:"alias,omitempty"`
	Type                 string       `json:"type,omitempty"` // "Word", "Excel", "PowerPoint", "Pdf", "Other", …
	PreviewPriority      string       `json:"previewPriority,omitempty"`
	LastModifiedBy       *IdentitySet `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time    `json:"lastModifiedDateTime,omitzero"`
}

// References are a task's links (plannerExternalReferences), keyed by
// their URL as written, "https://contoso.com/a.docx". On the wire the keys
// are OData property names, which cannot hold '%', '.', ':', '@' or '#':
// References encodes those (%25, %2E, %3A, %40, %23) when it is encoded
// and decodes them when it is decoded, so callers never see the encoded
// form.
type References map[string]ExternalReference

// referenceKeys encodes and decodes reference keys; '%' goes first so the
// other escapes are not escaped again.
var (
	encodeKey = strings.NewReplacer("%", "%25", ".", "%2E", ":", "%3A", "@", "%40", "#", "%23")
	decodeKey = strings.NewReplacer("%25", "%", "%2E", ".", "%2e", ".", "%3A", ":", "%3a", ":", "%40", "@", "%23", "#")
)

// EncodeReferenceKey is the key Planner stores the reference to rawURL
// under: rawURL with '%', '.', ':', '@' and '#' percent-encoded.
func EncodeReferenceKey(rawURL string) string { return encodeKey.Replace(rawURL) }

// DecodeReferenceKey is the URL a Planner reference key stands for.
func DecodeReferenceKey(key string) string { return decodeKey.Replace(key) }

// MarshalJSON writes the references with their keys encoded.
func (r References) MarshalJSON() ([]byte, error) {
	if r == nil {
		return []byte("null"), nil
	}
	wire := make(map[string]ExternalReference, len(r))
	for k, v := range r {
		wire[EncodeReferenceKey(k)] = v
	}
	return api.Marshal(wire)
}

// UnmarshalJSON reads references, decoding their keys.
func (r *References) UnmarshalJSON(data []byte) error {
	var wire map[string]ExternalReference
	if err := api.Unmarshal(data, &wire); err != nil {
		return err
	}
	if wire == nil {
		*r = nil
		return nil
	}
	out := make(References, len(wire))
	for k, v := range wire {
		out[DecodeReferenceKey(k)] = v
	}
	*r = out
	return nil
}

func (d *TaskDetails) bind(c api.Component) *TaskDetails {
	d.Component = c
	s := *d
	s.saved = nil
	s.Checklist = maps.Clone(d.Checklist)
	s.References = maps.Clone(d.References)
	d.saved = &s
	return d
}

func (d *TaskDetails) etag() string { return d.ETag }

// AddChecklistItem adds an unchecked item titled title and returns its
// new id (a random GUID). Save creates it.
func (d *TaskDetails) AddChecklistItem(title string) string {
	id := newGUID()
	if d.Checklist == nil {
		d.Checklist = Checklist{}
	}
	d.Checklist[id] = ChecklistItem{ODataType: checklistItemType, Title: title}
	return id
}

// Check marks the checklist item id checked or not. An unknown id is an
// error.
func (d *TaskDetails) Check(id string, checked bool) error {
	it, ok := d.Checklist[id]
	if !ok {
		return fmt.Errorf("planner: no checklist item %q", id)
	}
	it.IsChecked = checked
	d.Checklist[id] = it
	return nil
}

// AddReference attaches a link to rawURL, an http or https URL, shown as
// alias; kind is Planner's type of the link ("Word", "Excel", "Other", …,
// empty for none). An existing reference to the URL is replaced.
func (d *TaskDetails) AddReference(rawURL, alias, kind string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("planner: reference %q is not an http or https URL", rawURL)
	}
	if d.References == nil {
		d.References = References{}
	}
	d.References[rawURL] = ExternalReference{ODataType: referenceType, Alias: alias, Type: kind}
	return nil
}

// Changes returns the properties Save would send, by JSON name: those
// changed since the details were read. Removed checklist items and
// references are null; reference keys are encoded.
func (d *TaskDetails) Changes() (map[string]any, error) {
	old := d.saved
	if old == nil {
		old = &TaskDetails{}
	}
	body := map[string]any{}
	if d.Description != old.Description {
		body["description"] = d.Description
	}
	if d.PreviewType != old.PreviewType {
		body["previewType"] = d.PreviewType
	}
	checklist := map[string]any{}
	for id, it := range d.Checklist {
		prev, had := old.Checklist[id]
		ch := map[string]any{"@odata.type": checklistItemType}
		if !had || it.Title != prev.Title {
			if it.Title == "" {
				return nil, fmt.Errorf("planner: checklist item %q: empty title", id)
			}
			ch["title"] = it.Title
		}
		if !had || it.IsChecked != prev.IsChecked {
			ch["isChecked"] = it.IsChecked
		}
		if it.OrderHint != prev.OrderHint && (had || it.OrderHint != "") {
			if err := checkHint("checklist item "+id, "orderHint", it.OrderHint); err != nil {
				return nil, err
			}
			ch["orderHint"] = it.OrderHint
		}
		if len(ch) > 1 {
			checklist[id] = ch
		}
	}
	nullRemoved(checklist, d.Checklist, old.Checklist, asIs)
	if len(checklist) > 0 {
		body["checklist"] = checklist
	}
	refs := map[string]any{}
	for u, ref := range d.References {
		prev, had := old.References[u]
		ch := map[string]any{"@odata.type": referenceType}
		if !had || ref.Alias != prev.Alias {
			ch["alias"] = ref.Alias
		}
		if !had || ref.Type != prev.Type {
			ch["type"] = ref.Type
		}
		if ref.PreviewPriority != prev.PreviewPriority && (had || ref.PreviewPriority != "") {
			if err := checkHint("reference "+u, "previewPriority", ref.PreviewPriority); err != nil {
				return nil, err
			}
			ch["previewPriority"] = ref.PreviewPriority
		}
		if len(ch) > 1 {
			refs[EncodeReferenceKey(u)] = ch
		}
	}
	nullRemoved(refs, d.References, old.References, EncodeReferenceKey)
	if len(refs) > 0 {
		body["references"] = refs
	}
	return body, nil
}

// Save sends what changed (Changes) under the details' etag and takes
// Graph's state back, new etag included. On failure (an error matching
// api.ErrPreconditionFailed when the details changed since they were
// read) the details are left as they were.
func (d *TaskDetails) Save(ctx context.Context) error {
	if err := exists(&d.Component, d.ID, "task details"); err != nil {
		return err
	}
	body, err := d.Changes()
	if err != nil || len(body) == 0 {
		return err
	}
	return save(ctx, d.Component, taskPath(d.ID)+"/details", d.ETag, body, d)
}

// newGUID returns a random (version 4) GUID, the id of a new checklist
// item.
func newGUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
