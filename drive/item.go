package drive

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/go-o365/o365/api"
)

// DriveItem is a file or a folder (Graph's driveItem). File is set for
// files and Folder for folders; Root marks a drive's root folder, and
// RemoteItem an item that lives in another drive (shared with the user),
// on which the methods then act.
type DriveItem struct {
	api.Component `json:"-"`

	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	Description          string          `json:"description,omitempty"`
	Size                 int64           `json:"size,omitempty"`
	ETag                 string          `json:"eTag,omitempty"`
	CTag                 string          `json:"cTag,omitempty"`
	WebURL               string          `json:"webUrl,omitempty"`
	WebDavURL            string          `json:"webDavUrl,omitempty"`
	CreatedBy            *IdentitySet    `json:"createdBy,omitempty"`
	CreatedDateTime      time.Time       `json:"createdDateTime,omitzero"`
	LastModifiedBy       *IdentitySet    `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time       `json:"lastModifiedDateTime,omitzero"`
	ParentReference      *ItemReference  `json:"parentReference,omitempty"`
	File                 *File           `json:"file,omitempty"`
	Folder               *Folder         `json:"folder,omitempty"`
	Root                 *Root           `json:"root,omitempty"`
	Deleted              *Deleted        `json:"deleted,omitempty"`
	SpecialFolder        *SpecialFolder  `json:"specialFolder,omitempty"`
	Image                *Image          `json:"image,omitempty"`
	Photo                *Photo          `json:"photo,omitempty"`
	FileSystemInfo       *FileSystemInfo `json:"fileSystemInfo,omitempty"`
	Shared               *Shared         `json:"shared,omitempty"`
	Package              *Package        `json:"package,omitempty"`
	Malware              *Malware        `json:"malware,omitempty"`
	SearchResult         *SearchResult   `json:"searchResult,omitempty"`
	RemoteItem           *RemoteItem     `json:"remoteItem,omitempty"`
	SharepointIDs        *SharepointIDs  `json:"sharepointIds,omitempty"`
	// Thumbnails is filled when the item was listed or fetched with
	// $expand=thumbnails; ThumbnailSets fetches them otherwise.
	Thumbnails []*ThumbnailSet `json:"thumbnails,omitempty"`
	// DownloadURL is a short-lived pre-authenticated URL of the content
	// (files only). Download does not need it.
	DownloadURL string `json:"@microsoft.graph.downloadUrl,omitempty"`

	drivePath string  // "drives/{id}" of the item's drive
	saved     edition // the fields as last loaded or saved
}

// edition holds the fields Update sends when they changed.
type edition struct{ name, description string }

// ConflictBehavior says what happens when an item is created, uploaded or
// copied with a name that is taken.
type ConflictBehavior string

// Conflict behaviours, as Graph names them.
const (
	ConflictFail    ConflictBehavior = "fail"    // the request fails with 409 nameAlreadyExists
	ConflictReplace ConflictBehavior = "replace" // the existing item is replaced (a file gets a new version)
	ConflictRename  ConflictBehavior = "rename"  // the new item gets a free name ("report 1.docx")
)

func (c ConflictBehavior) check(op string) error {
	switch c {
	case "", ConflictFail, ConflictReplace, ConflictRename:
		return nil
	}
	return fmt.Errorf("o365: %s: unknown conflict behaviour %q (want fail, replace or rename)", op, string(c))
}

// attach gives a decoded item its connection; drivePath is the drive it
// was reached through, used when the item does not name its drive.
func (i *DriveItem) attach(c api.Component, drivePath string) {
	i.Component = c
	i.drivePath = drivePath
	if ref := i.ParentReference; ref != nil && ref.DriveID != "" {
		i.drivePath = "drives/" + PathSegment(ref.DriveID)
	}
	i.saved = edition{i.Name, i.Description}
	for _, t := range i.Thumbnails {
		if t != nil {
			t.attach(c, i.path())
		}
	}
}

// path is the item's URL path below the service root. A shared item
// (RemoteItem) is addressed in its own drive.
func (i *DriveItem) path() string {
	if r := i.RemoteItem; r != nil && r.ID != "" && r.ParentReference != nil && r.ParentReference.DriveID != "" {
		return "drives/" + PathSegment(r.ParentReference.DriveID) + "/items/" + PathSegment(r.ID)
	}
	return i.drivePath + "/items/" + PathSegment(i.ID)
}

// driveID is the id of the drive the item lives in, "" when unknown.
func (i *DriveItem) driveID() string {
	if r := i.RemoteItem; r != nil && r.ParentReference != nil && r.ParentReference.DriveID != "" {
		return r.ParentReference.DriveID
	}
	if i.ParentReference != nil {
		return i.ParentReference.DriveID
	}
	return ""
}

// url is the service URL of the item followed by rest.
func (i *DriveItem) url(rest string) string {
	return i.BuildBaseURL("/" + i.path() + rest)
}

// ErrNotBound is returned by the methods of an item, permission,
// version or thumbnail set that was built by hand rather than fetched:
// it has no connection to make calls with.
var ErrNotBound = errors.New("was not fetched from a drive, so it has no connection (get it from a Storage, Drive or DriveItem)")

// ready refuses calls on an item that cannot address itself: one built
// by hand rather than fetched, or one without an id.
func (i *DriveItem) ready(op string) error {
	if i == nil || i.Con() == nil || i.drivePath == "" {
		return fmt.Errorf("o365: %s: the DriveItem %w", op, ErrNotBound)
	}
	if i.ID == "" {
		return fmt.Errorf("o365: %s: the DriveItem has no id", op)
	}
	return nil
}

// Children lists a folder's items. Options shape the list: o365.Limit,
// o365.BatchSize, and o365.Query for $filter, $orderby, $select and
// $expand (thumbnails).
func (i *DriveItem) Children(ctx context.Context, opts ...api.ListOption) iter.Seq2[*DriveItem, error] {
	if err := i.ready("Children"); err != nil {
		return failed[*DriveItem](err)
	}
	return i.items(ctx, i.url("/children"), opts...)
}

// ItemByPath fetches an item by its path relative to this folder
// ("sub/report.docx"), escaping each segment.
func (i *DriveItem) ItemByPath(ctx context.Context, path string) (*DriveItem, error) {
	if err := i.ready("ItemByPath"); err != nil {
		return nil, err
	}
	p, err := escapePath(path)
	if err != nil {
		return nil, err
	}
	return i.get(ctx, i.url(":/"+p+":"))
}

// Search finds items in this folder and below whose name, metadata or
// content match text.
func (i *DriveItem) Search(ctx context.Context, text string, opts ...api.ListOption) iter.Seq2[*DriveItem, error] {
	if err := i.ready("Search"); err != nil {
		return failed[*DriveItem](err)
	}
	seg, err := searchSegment(text)
	if err != nil {
		return failed[*DriveItem](err)
	}
	return i.items(ctx, i.url("/"+seg), opts...)
}

// CreateFolder creates a folder named name in this folder. conflict says
// what happens when the name is taken (Graph's default, "" here, is
// ConflictFail).
func (i *DriveItem) CreateFolder(ctx context.Context, name string, conflict ConflictBehavior) (*DriveItem, error) {
	if err := i.ready("CreateFolder"); err != nil {
		return nil, err
	}
	if err := checkName("CreateFolder", name); err != nil {
		return nil, err
	}
	if err := conflict.check("CreateFolder"); err != nil {
		return nil, err
	}
	body := map[string]any{"name": name, "folder": map[string]any{}}
	if conflict != "" {
		body["@microsoft.graph.conflictBehavior"] = string(conflict)
	}
	created := new(DriveItem)
	if err := i.PostJSON(ctx, i.url("/children"), body, created); err != nil {
		return nil, err
	}
	created.attach(i.Component, i.drivePath)
	return created, nil
}

// Update sends the changes made to Name and Description since the item
// was loaded or last saved: renaming is setting Name and calling Update.
// Only changed fields are sent, and nothing when nothing changed. The
// item is refreshed from Graph's answer.
func (i *DriveItem) Update(ctx context.Context) error {
	if err := i.ready("Update"); err != nil {
		return err
	}
	body := map[string]any{}
	if i.Name != i.saved.name {
		if err := checkName("Update", i.Name); err != nil {
			return err
		}
		body["name"] = i.Name
	}
	if i.Description != i.saved.description {
		body["description"] = i.Description
	}
	if len(body) == 0 {
		return nil
	}
	return i.patch(ctx, body)
}

// Move moves the item into folder, renaming it to name unless name is
// empty. Graph moves items only within a drive; across drives, Copy and
// then Delete.
func (i *DriveItem) Move(ctx context.Context, folder *DriveItem, name string) error {
	if err := i.ready("Move"); err != nil {
		return err
	}
	if err := folder.ready("Move (target folder)"); err != nil {
		return err
	}
	if from, to := i.driveID(), folder.driveID(); from != "" && to != "" && from != to {
		return fmt.Errorf("o365: Move: %q is in drive %s and the folder in drive %s; Graph moves only within a drive (Copy, then Delete)", i.Name, from, to)
	}
	body := map[string]any{"parentReference": map[string]any{"id": folder.targetID()}}
	if name != "" {
		if err := checkName("Move", name); err != nil {
			return err
		}
		body["name"] = name
	}
	return i.patch(ctx, body)
}

// Delete moves the item to the recycle bin; Restore brings it back.
func (i *DriveItem) Delete(ctx context.Context) error {
	if err := i.ready("Delete"); err != nil {
		return err
	}
	return i.Component.Delete(ctx, i.url(""))
}

// Restore brings a deleted item back from the recycle bin to where it
// was, and refreshes the item. (Graph offers it on OneDrive personal.)
func (i *DriveItem) Restore(ctx context.Context) error {
	if err := i.ready("Restore"); err != nil {
		return err
	}
	fresh := new(DriveItem)
	if err := i.PostJSON(ctx, i.url("/restore"), map[string]any{}, fresh); err != nil {
		return err
	}
	i.replace(fresh)
	return nil
}

func (i *DriveItem) patch(ctx context.Context, body map[string]any) error {
	fresh := new(DriveItem)
	if err := i.PatchJSON(ctx, i.url(""), body, fresh); err != nil {
		return err
	}
	i.replace(fresh)
	return nil
}

// replace takes over fresh's fields, keeping the connection.
func (i *DriveItem) replace(fresh *DriveItem) {
	c, drivePath := i.Component, i.drivePath
	*i = *fresh
	i.attach(c, drivePath)
}

// targetID is the id to name the item by in another request: the remote
// item's for a shared one.
func (i *DriveItem) targetID() string {
	if r := i.RemoteItem; r != nil && r.ID != "" {
		return r.ID
	}
	return i.ID
}

func (i *DriveItem) get(ctx context.Context, url string) (*DriveItem, error) {
	it := new(DriveItem)
	if err := i.GetJSON(ctx, url, nil, it); err != nil {
		return nil, err
	}
	it.attach(i.Component, i.drivePath)
	return it, nil
}

func (i *DriveItem) items(ctx context.Context, url string, opts ...api.ListOption) iter.Seq2[*DriveItem, error] {
	c, drivePath := i.Component, i.drivePath
	return list(ctx, &i.Component, url, func(it *DriveItem) { it.attach(c, drivePath) }, opts...)
}

// checkName refuses names OneDrive would refuse, before any request.
func checkName(op, name string) error {
	if name == "" {
		return errors.New("o365: " + op + ": the name is empty")
	}
	if name == "." || name == ".." {
		return fmt.Errorf("o365: %s: %q is not a valid name", op, name)
	}
	for _, r := range name {
		if r == '/' || r == '\\' || r < 0x20 {
			return fmt.Errorf("o365: %s: name %q contains %q, which drive item names cannot hold", op, name, r)
		}
	}
	return nil
}
