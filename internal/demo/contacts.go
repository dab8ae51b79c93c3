package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"github.com/go-o365/o365/graphtest"
)

// SeedDirectory gives the demo tenant an organisation chart and a photo:
// Alex reports to Megan, who reports to Adele; Adele has a profile photo.
func SeedDirectory(srv *graphtest.Server) error {
	adele, alex, megan := Users[0].UserPrincipalName, Users[1].UserPrincipalName, Users[2].UserPrincipalName
	if err := srv.SetManager(alex, megan); err != nil {
		return err
	}
	if err := srv.SetManager(megan, adele); err != nil {
		return err
	}
	return srv.SetUserPhoto(adele, "image/png", Portrait(96, 96))
}

// Portrait is a plain PNG image of the given size, standing in for a
// profile or contact photo.
func Portrait(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{R: uint8(x * 255 / w), G: 120, B: uint8(y * 255 / h), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return b.Bytes()
}
