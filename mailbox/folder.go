package mailbox

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strings"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/message"
	"github.com/go-o365/o365/query"
)

// ErrNotBound is returned by operations on a mailbox or folder that has
// no connection: one built as a literal or decoded by hand rather than
// made with New, NewFrom or NewForResource, or read through one.
var ErrNotBound = errors.New("mailbox: not bound to a connection (make it with New, NewFrom or NewForResource, or get it from one)")

// ErrFolderNotFound is wrapped by the error of a folder lookup that
// matched nothing.
var ErrFolderNotFound = errors.New("mailbox: folder not found")

// Folder is a mail folder (Graph's mailFolder, or a mailSearchFolder,
// whose search fields are then set).
type Folder struct {
	api.Component `json:"-"`

	// ID is Graph's id, or a well-known name for folders from
	// WellKnownFolder until Refresh reads the id.
	ID               string `json:"id,omitempty"`
	DisplayName      string `json:"displayName,omitempty"`
	ParentFolderID   string `json:"parentFolderId,omitempty"`
	ChildFolderCount int    `json:"childFolderCount"`
	UnreadItemCount  int    `json:"unreadItemCount"`
	TotalItemCount   int    `json:"totalItemCount"`
	IsHidden         bool   `json:"isHidden"`

	// ODataType is "#microsoft.graph.mailSearchFolder" for search folders.
	ODataType            string   `json:"@odata.type,omitempty"`
	IsSupported          bool     `json:"isSupported,omitempty"`
	IncludeNestedFolders bool     `json:"includeNestedFolders,omitempty"`
	SourceFolderIDs      []string `json:"sourceFolderIds,omitempty"`
	FilterQuery          string   `json:"filterQuery,omitempty"`

	saved string // DisplayName as last loaded or saved
}

func (f *Folder) bind(c api.Component) {
	f.Component = c
	f.saved = f.DisplayName
}

func (f *Folder) url(suffix string) (string, error) {
	if f.ID == "" {
		return "", errors.New("mailbox: the folder has no id")
	}
	return buildURL(&f.Component, "/mailFolders/"+url.PathEscape(f.ID)+suffix)
}

func buildURL(c *api.Component, path string) (string, error) {
	if c.Con() == nil || c.Protocol() == nil {
		return "", ErrNotBound
	}
	return c.BuildURL(path), nil
}

// failed is a list that yields only err.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// Refresh reads the folder's properties (its id, counts, name) from Graph.
func (f *Folder) Refresh(ctx context.Context) error {
	u, err := f.url("")
	if err != nil {
		return err
	}
	fresh := new(Folder)
	if err := f.GetJSON(ctx, u, nil, fresh); err != nil {
		return err
	}
	f.replace(fresh)
	return nil
}

func (f *Folder) replace(fresh *Folder) {
	c := f.Component
	*f = *fresh
	f.bind(c)
}

// Folders iterates over the child folders. Hidden folders are listed only
// with IncludeHidden().
func (f *Folder) Folders(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Folder, error] {
	u, err := f.url("/childFolders")
	if err != nil {
		return failed[*Folder](err)
	}
	return listFolders(ctx, f.Component, u, opts...)
}

// Folder finds a child folder by display name or id. When nothing
// matches, the error wraps ErrFolderNotFound (and api.ErrNotFound).
func (f *Folder) Folder(ctx context.Context, nameOrID string) (*Folder, error) {
	u, err := f.url("/childFolders")
	if err != nil {
		return nil, err
	}
	return findFolder(ctx, f.Component, u, fmt.Sprintf("folder %q", f.DisplayName), nameOrID)
}

// CreateChildFolder creates a folder inside this one. Graph refuses a
// name already used by a sibling (ErrConflict).
func (f *Folder) CreateChildFolder(ctx context.Context, name string, hidden bool) (*Folder, error) {
	u, err := f.url("/childFolders")
	if err != nil {
		return nil, err
	}
	return createFolder(ctx, f.Component, u, name, hidden)
}

// Update saves a changed DisplayName (renames the folder); with nothing
// changed it makes no request.
func (f *Folder) Update(ctx context.Context) error {
	if f.DisplayName == f.saved {
		return nil
	}
	if strings.TrimSpace(f.DisplayName) == "" {
		return errors.New("mailbox: Update: the folder's DisplayName is empty")
	}
	u, err := f.url("")
	if err != nil {
		return err
	}
	fresh := new(Folder)
	if err := f.PatchJSON(ctx, u, map[string]string{"displayName": f.DisplayName}, fresh); err != nil {
		return err
	}
	f.replace(fresh)
	return nil
}

// Delete deletes the folder with its messages and child folders.
func (f *Folder) Delete(ctx context.Context) error {
	u, err := f.url("")
	if err != nil {
		return err
	}
	return f.Component.Delete(ctx, u)
}

// CopyTo copies the folder, with its messages and child folders, into
// destination and returns the copy.
func (f *Folder) CopyTo(ctx context.Context, destination *Folder) (*Folder, error) {
	if destination == nil || destination.ID == "" {
		return nil, errors.New("mailbox: CopyTo: no destination folder")
	}
	u, err := f.url("/copy")
	if err != nil {
		return nil, err
	}
	cp := new(Folder)
	if err := f.PostJSON(ctx, u, map[string]string{"destinationId": destination.ID}, cp); err != nil {
		return nil, err
	}
	cp.bind(f.Component)
	return cp, nil
}

// MoveTo moves the folder into destination; f is updated from Graph's
// answer.
func (f *Folder) MoveTo(ctx context.Context, destination *Folder) error {
	if destination == nil || destination.ID == "" {
		return errors.New("mailbox: MoveTo: no destination folder")
	}
	u, err := f.url("/move")
	if err != nil {
		return err
	}
	fresh := new(Folder)
	if err := f.PostJSON(ctx, u, map[string]string{"destinationId": destination.ID}, fresh); err != nil {
		return err
	}
	f.replace(fresh)
	return nil
}

// Messages iterates over the folder's messages, newest first, honouring
// Limit, BatchSize, Query ($filter, $select, $orderby, $search), Header
// and WithAttachments.
func (f *Folder) Messages(ctx context.Context, opts ...api.ListOption) iter.Seq2[*message.Message, error] {
	u, err := f.url("/messages")
	if err != nil {
		return failed[*message.Message](err)
	}
	return message.List(ctx, f, u, opts...)
}

// Message reads one message of the folder by id.
func (f *Folder) Message(ctx context.Context, id string, opts ...api.ListOption) (*message.Message, error) {
	u, err := f.url("/messages/" + url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	return message.Get(ctx, f, u, opts...)
}

// NewMessage returns a new, unsaved message that Save creates in this
// folder (Send still sends it from the mailbox).
func (f *Folder) NewMessage() *message.Message { return message.NewInFolder(f, f.ID) }

// MessageDelta starts tracking changes of the folder's messages; see
// Delta. deltaLink is where an earlier round ended (Delta.DeltaLink), or
// "" to start with every message in the folder.
func (f *Folder) MessageDelta(deltaLink string) *Delta {
	return &Delta{folder: f, DeltaLink: deltaLink}
}

// Delta tracks changes of a folder's messages across rounds: the first
// round yields every message, each later one only those created, changed
// or removed since (removed ones have Removed set and only their ID).
//
//	d := inbox.MessageDelta(saved)
//	for m, err := range d.Changes(ctx) { … }
//	saved = d.DeltaLink // keep for the next round
type Delta struct {
	folder *Folder
	// DeltaLink is the @odata.deltaLink that ended the last complete
	// round; the next round starts there. Persist it to resume later.
	DeltaLink string
}

// Changes runs one round. The DeltaLink advances only when the round is
// read to its end; a round stopped early is repeated in full by the next
// call. A delta link Graph no longer knows gives an error matching
// api.ErrSyncStateNotFound: set DeltaLink to "" and start over.
// BatchSize is sent as Prefer: odata.maxpagesize; Query may $select and
// $filter (Graph supports few filters here).
func (d *Delta) Changes(ctx context.Context, opts ...api.ListOption) iter.Seq2[*message.Message, error] {
	start := d.DeltaLink
	if start == "" {
		u, err := d.folder.url("/messages/delta")
		if err != nil {
			return failed[*message.Message](err)
		}
		start = u
	}
	cfg := api.NewListConfig(opts...)
	if cfg.BatchSize > 0 {
		opts = append(opts, api.Header("Prefer", fmt.Sprintf("odata.maxpagesize=%d", cfg.BatchSize)), api.BatchSize(0))
	}
	if d.DeltaLink != "" {
		// The link already carries the round's query.
		opts = append(opts, api.Query(nil))
	}
	return message.ListDelta(ctx, d.folder, start, &d.DeltaLink, opts...)
}

func listFolders(ctx context.Context, c api.Component, u string, opts ...api.ListOption) iter.Seq2[*Folder, error] {
	return func(yield func(*Folder, error) bool) {
		for f, err := range api.List[*Folder](ctx, c.Con(), u, opts...) {
			if err != nil {
				yield(nil, err)
				return
			}
			f.bind(c)
			if !yield(f, nil) {
				return
			}
		}
	}
}

// findFolder looks a folder up under the collection at u: a well-known
// name (top level only), then a display name, then an id.
func findFolder(ctx context.Context, c api.Component, u, where, nameOrID string) (*Folder, error) {
	if strings.TrimSpace(nameOrID) == "" {
		return nil, errors.New("mailbox: Folder: empty folder name")
	}
	folderURL := func(id string) string { return c.BuildURL("/mailFolders/" + url.PathEscape(id)) } // c is bound: u was built from it
	if _, ok := wellKnownNames[strings.ToLower(nameOrID)]; ok && strings.HasSuffix(u, "/mailFolders") {
		return getFolder(ctx, c, folderURL(strings.ToLower(nameOrID)))
	}
	q := query.New().Where(query.Eq("displayName", nameOrID))
	for f, err := range listFolders(ctx, c, u, api.Query(q), IncludeHidden(), api.Limit(1)) {
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	f, err := getFolder(ctx, c, folderURL(nameOrID))
	var ge *api.GraphError
	if errors.As(err, &ge) && (ge.StatusCode == 404 || ge.StatusCode == 400) {
		return nil, fmt.Errorf("%w: no folder named %q at %s (and no folder has that id): %w", ErrFolderNotFound, nameOrID, where, api.ErrNotFound)
	}
	return f, err
}

func getFolder(ctx context.Context, c api.Component, u string) (*Folder, error) {
	f := new(Folder)
	if err := c.GetJSON(ctx, u, nil, f); err != nil {
		return nil, err
	}
	f.bind(c)
	return f, nil
}

func createFolder(ctx context.Context, c api.Component, u, name string, hidden bool) (*Folder, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("mailbox: creating a folder: empty name")
	}
	body := map[string]any{"displayName": name}
	if hidden {
		body["isHidden"] = true
	}
	f := new(Folder)
	if err := c.PostJSON(ctx, u, body, f); err != nil {
		return nil, err
	}
	f.bind(c)
	return f, nil
}
