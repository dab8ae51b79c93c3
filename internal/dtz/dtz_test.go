package dtz

import (
	"errors"
	"testing"
	"time"

	"github.com/go-o365/o365/internal/tz"
)

func TestRoundTrip(t *testing.T) {
	berlin, err := tz.Load("W. Europe Standard Time")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 14, 17, 0, 0, 5e8, berlin)
	w := Of(at)
	if w.DateTime != "2025-03-14T17:00:00.5000000" || w.TimeZone != "W. Europe Standard Time" {
		t.Fatalf("Of = %+v", w)
	}
	back, err := w.Time("due")
	if err != nil || !back.Equal(at) {
		t.Fatalf("Time = %v, %v; want %v", back, err, at)
	}
	if Of(time.Time{}) != nil {
		t.Error("the zero time has no wire form")
	}
	if got := Of(time.Date(2025, 1, 1, 12, 0, 0, 0, time.FixedZone("", 3600))); got.TimeZone != "UTC" || got.DateTime != "2025-01-01T11:00:00.0000000" {
		t.Errorf("a nameless zone goes out in UTC: %+v", got)
	}
	var nilWire *Wire
	if z, err := nilWire.Time("x"); err != nil || !z.IsZero() {
		t.Errorf("nil reads as the zero time: %v %v", z, err)
	}
	off, err := (&Wire{DateTime: "2025-01-01T12:00:00+02:00", TimeZone: "UTC"}).Time("x")
	if err != nil || !off.Equal(time.Date(2025, 1, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("an explicit offset is read: %v %v", off, err)
	}
}

func TestErrors(t *testing.T) {
	_, err := (&Wire{DateTime: "2025-01-01T12:00:00", TimeZone: "Mars/Olympus"}).Time("todo: dueDateTime")
	if !errors.Is(err, tz.ErrUnknown) || err.Error()[:17] != "todo: dueDateTime" {
		t.Errorf("unknown zone: %v", err)
	}
	for _, dt := range []string{"", "25/08/2020", "2020-08-25"} {
		if _, err := (&Wire{DateTime: dt, TimeZone: "UTC"}).Time("x"); err == nil {
			t.Errorf("%q was read", dt)
		}
	}
}
