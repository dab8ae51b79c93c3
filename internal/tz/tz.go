// Package tz converts between the time-zone names Microsoft Graph uses
// (Windows names such as "Pacific Standard Time", and IANA names such as
// "America/Los_Angeles") and Go locations. It is shared by package
// calendar and by the graphtest emulator, so both read zones alike.
//
// The Windows↔IANA table is generated from Unicode CLDR's windowsZones.xml
// (see gen/ and windowszones.go). Locations come from the IANA database
// through time.LoadLocation: the system's copy, or the one embedded by
// importing time/tzdata. This package does not embed it, so programs that
// never touch a zone do not pay ~450 KB for it; the calendar package
// documents when a program should.
package tz

//go:generate go run ./gen

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// ErrUnknown is the cause of every error about a zone name that is neither
// a Windows zone CLDR knows nor an IANA zone the time-zone database holds.
var ErrUnknown = errors.New("unknown time zone")

// UnknownError names the zone that could not be loaded.
type UnknownError struct {
	Name string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("unknown time zone %q (neither a Windows zone name nor an IANA zone in the time-zone database)", e.Name)
}

// Is makes errors.Is(err, ErrUnknown) hold.
func (e *UnknownError) Is(target error) bool { return target == ErrUnknown }

// renamed maps IANA's current names to the older spellings CLDR keeps as
// its stable identifiers (IANA's "backward" links), for the zones of
// windowsZones.xml whose names differ. Without it Asia/Kolkata, a name
// time.LoadLocation gives, would have no Windows name.
var renamed = map[string]string{
	"Africa/Asmara":                  "Africa/Asmera",
	"America/Argentina/Buenos_Aires": "America/Buenos_Aires",
	"America/Argentina/Catamarca":    "America/Catamarca",
	"America/Argentina/Cordoba":      "America/Cordoba",
	"America/Argentina/Jujuy":        "America/Jujuy",
	"America/Argentina/Mendoza":      "America/Mendoza",
	"America/Atikokan":               "America/Coral_Harbour",
	"America/Indiana/Indianapolis":   "America/Indianapolis",
	"America/Kentucky/Louisville":    "America/Louisville",
	"America/Nuuk":                   "America/Godthab",
	"Asia/Ho_Chi_Minh":               "Asia/Saigon",
	"Asia/Kathmandu":                 "Asia/Katmandu",
	"Asia/Kolkata":                   "Asia/Calcutta",
	"Asia/Yangon":                    "Asia/Rangoon",
	"Atlantic/Faroe":                 "Atlantic/Faeroe",
	"Europe/Kyiv":                    "Europe/Kiev",
	"Pacific/Chuuk":                  "Pacific/Truk",
	"Pacific/Kanton":                 "Pacific/Enderbury",
	"Pacific/Pohnpei":                "Pacific/Ponape",
	// Not renamed, but what Go calls UTC.
	"UTC": "Etc/UTC",
}

// current is renamed reversed: CLDR's spelling to IANA's current one.
var current = func() map[string]string {
	m := make(map[string]string, len(renamed))
	for now, old := range renamed {
		m[old] = now
	}
	return m
}()

// WindowsToIANA returns the IANA zone for a Windows zone name, compared
// case-insensitively, in IANA's current spelling ("India Standard Time"
// gives "Asia/Kolkata").
func WindowsToIANA(name string) (string, bool) {
	iana, ok := windowsGolden[name]
	if !ok {
		for w, z := range windowsGolden {
			if strings.EqualFold(w, name) {
				iana, ok = z, true
				break
			}
		}
	}
	if !ok {
		return "", false
	}
	if now, renamed := current[iana]; renamed {
		return now, true
	}
	return iana, true
}

// IANAToWindows returns the Windows zone name for an IANA zone, in either
// its current or CLDR's spelling. "UTC" gives "UTC".
func IANAToWindows(name string) (string, bool) {
	if w, ok := ianaWindows[name]; ok {
		return w, true
	}
	if old, ok := renamed[name]; ok {
		w, ok := ianaWindows[old]
		return w, ok
	}
	return "", false
}

// locations caches loaded zones by the name they were asked for: decoding
// a page of events asks for the same few zones thousands of times, and
// time.LoadLocation reads the database each time.
var locations sync.Map // string → *time.Location

// Load returns the location a Graph zone name stands for: a Windows name
// ("W. Europe Standard Time", any case), an IANA name ("Europe/Berlin"),
// or Graph's UTC spellings ("UTC", "tzone://Microsoft/Utc", and "" for
// none). Anything else is an *UnknownError.
func Load(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := load(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}

func load(name string) (*time.Location, error) {
	switch {
	case name == "", strings.EqualFold(name, "UTC"), strings.EqualFold(name, "tzone://Microsoft/Utc"):
		return time.UTC, nil
	case strings.EqualFold(name, "Local"):
		// time.LoadLocation would answer the machine's zone, which is
		// never what a Graph zone name means.
		return nil, &UnknownError{Name: name}
	}
	if iana, ok := WindowsToIANA(name); ok {
		loc, err := time.LoadLocation(iana)
		if err == nil {
			return loc, nil
		}
		// An older database may lack IANA's current name (Europe/Kyiv
		// arrived in 2022); CLDR's spelling is an alias there.
		if old, ok := renamed[iana]; ok {
			if loc, err := time.LoadLocation(old); err == nil {
				return loc, nil
			}
		}
		return nil, fmt.Errorf("%w: the Windows zone %q is %s, which the time-zone database on this system lacks (import _ \"time/tzdata\" to embed one)", ErrUnknown, name, iana)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, &UnknownError{Name: name}
	}
	return loc, nil
}

// GraphName returns the zone name to send to Graph for loc: its Windows
// name where CLDR has one (Graph accepts those everywhere), else its IANA
// name. time.Local is resolved to the system's zone name; when that name
// cannot be found (or loc is a fixed zone from time.FixedZone) it reports
// false, and callers send the instant in UTC instead.
func GraphName(loc *time.Location) (string, bool) {
	if loc == nil || loc == time.UTC {
		return "UTC", true
	}
	name := loc.String()
	if loc == time.Local {
		name = localName()
		if name == "" {
			return "", false
		}
	}
	if w, ok := IANAToWindows(name); ok {
		return w, true
	}
	// A name the database knows is an IANA name Graph may know; a name it
	// does not (a fixed zone's label) means nothing to Graph either.
	if name == "" || name == "Local" {
		return "", false
	}
	if _, err := Load(name); err != nil {
		return "", false
	}
	return name, true
}

// localName is the IANA name of the system's zone, "" when unknown: the
// TZ variable, else the target of /etc/localtime, as package time reads
// them.
var localName = sync.OnceValue(func() string {
	if v, ok := os.LookupEnv("TZ"); ok {
		v = strings.TrimPrefix(v, ":")
		if v == "" {
			return "UTC"
		}
		if i := strings.LastIndex(v, "zoneinfo/"); i >= 0 {
			return v[i+len("zoneinfo/"):]
		}
		return v
	}
	target, err := os.Readlink("/etc/localtime")
	if err != nil {
		return ""
	}
	if i := strings.LastIndex(target, "zoneinfo/"); i >= 0 {
		return target[i+len("zoneinfo/"):]
	}
	return ""
})
