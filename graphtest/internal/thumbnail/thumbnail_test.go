package thumbnail_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/go-o365/o365/graphtest/internal/blockstore"
	"github.com/go-o365/o365/graphtest/internal/thumbnail"
)

// TestBoxAndFit checks the size names and the fitting rule: standard
// squares, custom boxes, refusal of anything else, and no enlarging.
func TestBoxAndFit(t *testing.T) {
	for _, tc := range []struct {
		size   string
		w, h   int
		wantOK bool
	}{
		{"small", 96, 96, true}, {"large", 800, 800, true}, {"c300x200", 300, 200, true},
		{"c300x200_crop", 300, 200, true}, {"c0x10", 0, 10, false}, {"huge", 0, 0, false},
	} {
		w, h, ok := thumbnail.Box(tc.size)
		if ok != tc.wantOK || ok && (w != tc.w || h != tc.h) {
			t.Errorf("Box(%q) = %d, %d, %v", tc.size, w, h, ok)
		}
	}
	if w, h := thumbnail.Fit(1000, 500, 96, 96); w != 96 || h != 48 {
		t.Errorf("Fit landscape = %dx%d", w, h)
	}
	if w, h := thumbnail.Fit(50, 40, 96, 96); w != 50 || h != 40 {
		t.Errorf("Fit enlarged a small image to %dx%d", w, h)
	}
}

// TestRender renders a PNG as a JPEG of the fitted size, and refuses
// what is not an image.
func TestRender(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 400, 200))
	for x := range 400 {
		for y := range 200 {
			src.Set(x, y, color.RGBA{R: uint8(x), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	bs := blockstore.New()
	out, err := thumbnail.Render(bs.ContentOf(buf.Bytes()), "image/png", "small")
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 96 || b.Dy() != 48 {
		t.Errorf("thumbnail is %dx%d, want 96x48", b.Dx(), b.Dy())
	}
	if _, err := thumbnail.Render(bs.ContentOf([]byte("text")), "text/plain", "small"); err == nil {
		t.Error("rendered a text file")
	}
	if _, err := thumbnail.Render(bs.ContentOf(buf.Bytes()), "image/png", "c0x0"); err == nil {
		t.Error("rendered a bad size")
	}
}
