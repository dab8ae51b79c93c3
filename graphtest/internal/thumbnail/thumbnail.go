// Package thumbnail renders the thumbnails graphtest's drive serves:
// image files get the standard sizes (small, medium, large) fitted in a
// square without enlarging, and custom sizes "c{w}x{h}" (optionally
// "_crop") fit in that box. Scaling is nearest-neighbour to JPEG: tests
// need real, decodable images of the right size, not pretty ones.
package thumbnail

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	_ "image/gif" // thumbnails of GIF images
	"image/jpeg"
	_ "image/png" // thumbnails of PNG images
	"regexp"
	"strconv"
	"strings"

	"github.com/go-o365/o365/graphtest/internal/blockstore"
)

// Edges are the standard sizes: each fits a square of this edge.
var Edges = map[string]int{"small": 96, "medium": 176, "large": 800}

// MaxImageBytes bounds the images the emulator decodes.
const MaxImageBytes = 32 << 20

// Fit scales w×h to fit a box, never enlarging.
func Fit(w, h, boxW, boxH int) (int, int) {
	if w <= boxW && h <= boxH {
		return w, h
	}
	if w*boxH > h*boxW {
		return boxW, max(1, h*boxW/w)
	}
	return max(1, w*boxH/h), boxH
}

var customSize = regexp.MustCompile(`^c(\d{1,4})x(\d{1,4})(_crop)?$`)

// Box is the box a size name fits thumbnails in.
func Box(size string) (int, int, bool) {
	if edge, ok := Edges[size]; ok {
		return edge, edge, true
	}
	m := customSize.FindStringSubmatch(size)
	if m == nil {
		return 0, 0, false
	}
	w, _ := strconv.Atoi(m[1])
	h, _ := strconv.Atoi(m[2])
	return w, h, w > 0 && h > 0
}

// Render renders a JPEG thumbnail of an image by nearest-neighbour
// scaling.
func Render(c *blockstore.Content, mime, size string) ([]byte, error) {
	if !strings.HasPrefix(mime, "image/") || c.Size() > MaxImageBytes {
		return nil, errors.New("not an image")
	}
	src, _, err := image.Decode(bytes.NewReader(c.Bytes()))
	if err != nil {
		return nil, err
	}
	boxW, boxH, ok := Box(size)
	if !ok {
		return nil, errors.New("bad size")
	}
	b := src.Bounds()
	tw, th := Fit(b.Dx(), b.Dy(), boxW, boxH)
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	for y := range th {
		for x := range tw {
			dst.Set(x, y, color.RGBAModel.Convert(src.At(b.Min.X+x*b.Dx()/tw, b.Min.Y+y*b.Dy()/th)))
		}
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
