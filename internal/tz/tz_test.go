package tz

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's database
)

func TestWindowsToIANA(t *testing.T) {
	for win, want := range map[string]string{
		"Pacific Standard Time":   "America/Los_Angeles",
		"pacific standard time":   "America/Los_Angeles",
		"W. Europe Standard Time": "Europe/Berlin",
		"India Standard Time":     "Asia/Kolkata", // CLDR says Asia/Calcutta
		"FLE Standard Time":       "Europe/Kyiv",
		"UTC":                     "UTC",
		"UTC-11":                  "Etc/GMT+11",
	} {
		got, ok := WindowsToIANA(win)
		if !ok || got != want {
			t.Errorf("WindowsToIANA(%q) = %q, %v; want %q", win, got, ok, want)
		}
	}
	if got, ok := WindowsToIANA("Mars Standard Time"); ok {
		t.Errorf("unknown zone gave %q", got)
	}
}

func TestIANAToWindows(t *testing.T) {
	for iana, want := range map[string]string{
		"America/Los_Angeles": "Pacific Standard Time",
		"America/Vancouver":   "Pacific Standard Time", // a territory entry, not the golden zone
		"Europe/Berlin":       "W. Europe Standard Time",
		"Asia/Kolkata":        "India Standard Time",
		"Asia/Calcutta":       "India Standard Time",
		"Europe/Kyiv":         "FLE Standard Time",
		"UTC":                 "UTC",
		"Etc/GMT":             "UTC",
	} {
		got, ok := IANAToWindows(iana)
		if !ok || got != want {
			t.Errorf("IANAToWindows(%q) = %q, %v; want %q", iana, got, ok, want)
		}
	}
	if _, ok := IANAToWindows("Mars/Olympus_Mons"); ok {
		t.Error("unknown zone mapped")
	}
}

// Every Windows zone must load and name itself back: the round trip is
// what keeps a decoded event's zone name when it is encoded again.
func TestEveryWindowsZoneRoundTrips(t *testing.T) {
	for win := range windowsGolden {
		loc, err := Load(win)
		if err != nil {
			t.Errorf("Load(%q): %v", win, err)
			continue
		}
		got, ok := GraphName(loc)
		if !ok || got != win {
			t.Errorf("GraphName(Load(%q)) = %q, %v", win, got, ok)
		}
	}
}

// The aliases must point at names the generated table holds, or they
// silently stop working when CLDR changes.
func TestRenamedTargetsExist(t *testing.T) {
	for now, old := range renamed {
		if _, ok := ianaWindows[old]; !ok {
			t.Errorf("%s → %s: CLDR has no %s", now, old, old)
		}
		if _, err := time.LoadLocation(now); err != nil {
			t.Errorf("%s does not load: %v", now, err)
		}
	}
}

func TestLoad(t *testing.T) {
	for _, name := range []string{"", "UTC", "utc", "tzone://Microsoft/Utc"} {
		loc, err := Load(name)
		if err != nil || loc != time.UTC {
			t.Errorf("Load(%q) = %v, %v; want UTC", name, loc, err)
		}
	}
	loc, err := Load("Europe/Berlin")
	if err != nil || loc.String() != "Europe/Berlin" {
		t.Fatalf("Load(Europe/Berlin) = %v, %v", loc, err)
	}
	again, _ := Load("Europe/Berlin")
	if again != loc {
		t.Error("Load does not cache")
	}
	loc, err = Load("Eastern Standard Time")
	if err != nil || loc.String() != "America/New_York" {
		t.Fatalf("Load(Eastern Standard Time) = %v, %v", loc, err)
	}
}

func TestLoadUnknown(t *testing.T) {
	for _, name := range []string{"Mars Standard Time", "Local", "../../etc/passwd", "Europe/Nowhere"} {
		_, err := Load(name)
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("Load(%q): %v, want ErrUnknown", name, err)
			continue
		}
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name %q", err, name)
		}
	}
}

func TestGraphName(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	us, _ := time.LoadLocation("US/Pacific") // a backward link: no Windows name in CLDR
	for _, c := range []struct {
		loc  *time.Location
		want string
		ok   bool
	}{
		{nil, "UTC", true},
		{time.UTC, "UTC", true},
		{ny, "Eastern Standard Time", true},
		{us, "US/Pacific", true},
		{time.FixedZone("CEST", 7200), "", false},
		{time.FixedZone("", 0), "", false},
	} {
		got, ok := GraphName(c.loc)
		if got != c.want || ok != c.ok {
			t.Errorf("GraphName(%v) = %q, %v; want %q, %v", c.loc, got, ok, c.want, c.ok)
		}
	}
}

func TestGraphNameLocal(t *testing.T) {
	// The name of time.Local depends on the machine; whatever it is, it
	// must load back to a zone with the same offsets, or be unknown.
	name, ok := GraphName(time.Local)
	if !ok {
		return
	}
	loc, err := Load(name)
	if err != nil {
		t.Fatalf("GraphName(Local) = %q, which does not load: %v", name, err)
	}
	for _, at := range []time.Time{time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC), time.Date(2025, 7, 15, 12, 0, 0, 0, time.UTC)} {
		_, want := at.In(time.Local).Zone()
		_, got := at.In(loc).Zone()
		if got != want {
			t.Errorf("Local is %q, but its offset at %v is %d, not %d", name, at, got, want)
		}
	}
}

func BenchmarkLoadCached(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("Pacific Standard Time"); err != nil {
			b.Fatal(err)
		}
	}
}
