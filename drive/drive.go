package drive

import (
	"context"
	"fmt"
	"iter"

	"github.com/go-o365/o365/api"
)

// SpecialFolder names. Graph creates a special folder the first time it
// is asked for; approot is the app's own folder (Apps/{app name}).
const (
	SpecialDocuments  = "documents"
	SpecialPhotos     = "photos"
	SpecialCameraRoll = "cameraroll"
	SpecialAppRoot    = "approot"
	SpecialMusic      = "music"
	SpecialRecordings = "recordings"
)

// Root fetches the drive's root folder.
func (d *Drive) Root(ctx context.Context) (*DriveItem, error) {
	return d.getItem(ctx, d.url("/root"))
}

// Special fetches a special folder by its name (SpecialDocuments,
// SpecialPhotos, SpecialAppRoot, …). Graph offers special folders on the
// signed-in user's own drive.
func (d *Drive) Special(ctx context.Context, name string) (*DriveItem, error) {
	if name == "" {
		return nil, fmt.Errorf("o365: Special: the folder name is empty")
	}
	return d.getItem(ctx, d.viaURL("/special/"+PathSegment(name)))
}

// Item fetches an item by id.
func (d *Drive) Item(ctx context.Context, id string) (*DriveItem, error) {
	if err := needID("Item", id); err != nil {
		return nil, err
	}
	return d.getItem(ctx, d.url("/items/"+PathSegment(id)))
}

// ItemByPath fetches an item by its path from the root, such as
// "Documents/Q1 #2/report.docx". Each segment is escaped, so spaces, '#',
// '%', single quotes and non-ASCII names are safe.
func (d *Drive) ItemByPath(ctx context.Context, path string) (*DriveItem, error) {
	p, err := escapePath(path)
	if err != nil {
		return nil, err
	}
	return d.getItem(ctx, d.url("/root:/"+p+":"))
}

// Recent lists the items the user used recently, newest first; some live
// in other drives (see DriveItem.RemoteItem). Graph offers it on the
// signed-in user's own drive.
func (d *Drive) Recent(ctx context.Context, opts ...api.ListOption) iter.Seq2[*DriveItem, error] {
	return d.items(ctx, d.viaURL("/recent"), opts...)
}

// SharedWithMe lists the items others shared with the user. Each holds
// the shared item in RemoteItem, and the DriveItem's methods act on it.
func (d *Drive) SharedWithMe(ctx context.Context, opts ...api.ListOption) iter.Seq2[*DriveItem, error] {
	return d.items(ctx, d.viaURL("/sharedWithMe"), opts...)
}

// Search finds items of the drive whose name, metadata or content match
// text. Quotes and other reserved characters in text are escaped.
func (d *Drive) Search(ctx context.Context, text string, opts ...api.ListOption) iter.Seq2[*DriveItem, error] {
	seg, err := searchSegment(text)
	if err != nil {
		return failed[*DriveItem](err)
	}
	return d.items(ctx, d.url("/root/"+seg), opts...)
}

// Delta prepares a round of Graph's delta query over the drive: the
// items created, changed or deleted (DriveItem.Deleted set) since the
// round that produced deltaLink, or every item when deltaLink is "".
// After Items has been iterated to its end, Link is the deltaLink to
// keep for the next round. Pass api.Param("token", "latest") with an
// empty deltaLink to get only a link, for changes from now on.
//
// An expired link fails with an error matching api.ErrSyncStateNotFound;
// start again with "".
func (d *Drive) Delta(deltaLink string, opts ...api.ListOption) *Delta {
	url := deltaLink
	if url == "" {
		url = d.url("/root/delta")
	}
	return &Delta{drive: d, pager: api.NewPager[*DriveItem](d.Con(), url, opts...)}
}

// Delta is one round of a delta query; see Drive.Delta.
type Delta struct {
	drive *Drive
	pager *api.Pager[*DriveItem]
}

// Items yields the changed items, following every page of the round.
func (r *Delta) Items(ctx context.Context) iter.Seq2[*DriveItem, error] {
	return func(yield func(*DriveItem, error) bool) {
		for it, err := range r.pager.All(ctx) {
			if err != nil {
				yield(nil, err)
				return
			}
			if it == nil {
				continue
			}
			it.attach(r.drive.Component, r.drive.base())
			if !yield(it, nil) {
				return
			}
		}
	}
}

// Link is the deltaLink for the next round, known once Items has been
// iterated to its end ("" before).
func (r *Delta) Link() string { return r.pager.DeltaLink() }

// viaURL builds a URL on the path the drive was reached by, for calls
// Graph offers on /me/drive but not on /drives/{id}.
func (d *Drive) viaURL(rest string) string {
	p := d.path
	if p == "" {
		p = d.base()
	}
	return d.BuildBaseURL("/" + p + rest)
}

func (d *Drive) getItem(ctx context.Context, url string) (*DriveItem, error) {
	it := new(DriveItem)
	if err := d.GetJSON(ctx, url, nil, it); err != nil {
		return nil, err
	}
	it.attach(d.Component, d.base())
	return it, nil
}

func (d *Drive) items(ctx context.Context, url string, opts ...api.ListOption) iter.Seq2[*DriveItem, error] {
	base := d.base()
	return list(ctx, &d.Component, url, func(it *DriveItem) { it.attach(d.Component, base) }, opts...)
}

// failed is an iterator that yields err once.
func failed[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}
