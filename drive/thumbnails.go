package drive

import (
	"context"
	"fmt"
	"io"
	"iter"

	"github.com/go-o365/o365/api"
)

// ThumbnailSet is a set of thumbnails of an item, in Graph's standard
// sizes (Graph's thumbnailSet). Sets other than the item's own ("0")
// come from custom thumbnails.
type ThumbnailSet struct {
	api.Component `json:"-"`

	ID     string     `json:"id,omitempty"`
	Small  *Thumbnail `json:"small,omitempty"`  // 96 px on the longest edge
	Medium *Thumbnail `json:"medium,omitempty"` // 176 px
	Large  *Thumbnail `json:"large,omitempty"`  // 800 px
	Source *Thumbnail `json:"source,omitempty"` // the custom thumbnail's own size

	itemPath string
}

// Thumbnail is one thumbnail image.
type Thumbnail struct {
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	URL          string `json:"url,omitempty"`
	SourceItemID string `json:"sourceItemId,omitempty"`
}

// Thumbnail sizes of ThumbnailSet.Download.
const (
	ThumbnailSmall  = "small"
	ThumbnailMedium = "medium"
	ThumbnailLarge  = "large"
	ThumbnailSource = "source"
)

// ThumbnailSets lists the item's thumbnail sets (none for a file Graph
// makes no thumbnails of). Listing children with
// query.New().Expand("thumbnails") fills DriveItem.Thumbnails instead,
// in the same request.
func (i *DriveItem) ThumbnailSets(ctx context.Context, opts ...api.ListOption) iter.Seq2[*ThumbnailSet, error] {
	if err := i.ready("ThumbnailSets"); err != nil {
		return failed[*ThumbnailSet](err)
	}
	c, path := i.Component, i.path()
	return list(ctx, &i.Component, i.url("/thumbnails"), func(t *ThumbnailSet) { t.attach(c, path) }, opts...)
}

func (t *ThumbnailSet) attach(c api.Component, itemPath string) {
	t.Component, t.itemPath = c, itemPath
}

// Download streams the thumbnail of the given size (ThumbnailSmall,
// ThumbnailMedium, ThumbnailLarge, ThumbnailSource, or a custom size
// such as "c300x400_crop") to w and returns the bytes written.
func (t *ThumbnailSet) Download(ctx context.Context, size string, w io.Writer) (int64, error) {
	if t == nil || t.Con() == nil || t.itemPath == "" {
		return 0, fmt.Errorf("o365: ThumbnailSet.Download: the set %w", ErrNotBound)
	}
	if size == "" {
		return 0, fmt.Errorf("o365: ThumbnailSet.Download: the size is empty")
	}
	id := t.ID
	if id == "" {
		id = "0"
	}
	return download(ctx, t.Con(), t.BuildBaseURL("/"+t.itemPath+"/thumbnails/"+PathSegment(id)+"/"+PathSegment(size)+"/content"), w, nil)
}
