package drive_test

import (
	"encoding/base64"
	"math/rand/v2"
	"testing"

	"github.com/go-o365/o365/drive"
)

// Vectors from rclone's quickxorhash tests (input and sum in base64),
// which were checked against OneDrive.
var quickXorVectors = []struct{ in, sum string }{
	{"", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="},
	{"Sg==", "SgAAAAAAAAAAAAAAAQAAAAAAAAA="},
	{"tbQ=", "taAFAAAAAAAAAAAAAgAAAAAAAAA="},
	{"0pZP", "0rDEEwAAAAAAAAAAAwAAAAAAAAA="},
	{"jRRDVA==", "jaDAEKgAAAAAAAAABAAAAAAAAAA="},
	{"eAV52qE=", "eChAHrQRCgAAAAAABQAAAAAAAAA="},
	{"luBZlaT6", "lgBHFipBCn0AAAAABgAAAAAAAAA="},
	{"qaApEj66lw==", "qQBFCiTgA11cAgAABwAAAAAAAAA="},
	{"/aNzzCFPS/A=", "/RjFHJgRgicsAR4ACAAAAAAAAAA="},
}

func TestQuickXorHashVectors(t *testing.T) {
	for _, v := range quickXorVectors {
		in, err := base64.StdEncoding.DecodeString(v.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := drive.QuickXorHashString(in); got != v.sum {
			t.Errorf("QuickXorHash(%q) = %s, want %s", v.in, got, v.sum)
		}
	}
}

// naiveQuickXor follows Microsoft's description bit by bit: byte i goes
// to bit 11*i mod 160 of a circular 160-bit register; the length is XORed
// into the last 8 bytes.
func naiveQuickXor(data []byte) string {
	var reg [20]byte
	for i, b := range data {
		start := i * 11 % 160
		for bit := 0; bit < 8; bit++ {
			if b>>bit&1 == 1 {
				p := (start + bit) % 160
				reg[p/8] ^= 1 << (p % 8)
			}
		}
	}
	n := uint64(len(data))
	for i := 0; i < 8; i++ {
		reg[12+i] ^= byte(n >> (8 * i))
	}
	return base64.StdEncoding.EncodeToString(reg[:])
}

func TestQuickXorHashMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{1, 19, 159, 160, 161, 321, 1000, 65536 + 7} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		want := naiveQuickXor(data)
		if got := drive.QuickXorHashString(data); got != want {
			t.Errorf("size %d: one write gives %s, want %s", size, got, want)
		}
		// Writes of odd sizes cross the 160-byte fold at every offset.
		h := drive.NewQuickXorHash()
		for rest := data; len(rest) > 0; {
			k := min(len(rest), 1+r.IntN(300))
			h.Write(rest[:k])
			rest = rest[k:]
		}
		if got := base64.StdEncoding.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("size %d: piecewise writes give %s, want %s", size, got, want)
		}
	}
}
