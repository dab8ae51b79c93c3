package main

import (
	"bytes"
	"os"
	"testing"
)

// TestTableUpToDate fails when windowszones.go is not what the generator
// makes from the XML beside it: after replacing the XML, run go generate.
func TestTableUpToDate(t *testing.T) {
	data, err := os.ReadFile("windowsZones.xml")
	if err != nil {
		t.Fatal(err)
	}
	note, err := os.ReadFile("windowsZones.SOURCE.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(data, note)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../windowszones.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/tz/windowszones.go is stale: run go generate ./internal/tz")
	}
}

func TestGenerateRejectsBadInput(t *testing.T) {
	note := []byte("CLDR windowsZones.xml\ncommit abc\n")
	for name, xml := range map[string]string{
		"not XML":      "{}",
		"no map":       `<supplementalData><windowsZones></windowsZones></supplementalData>`,
		"no 001 zone":  `<supplementalData><windowsZones><mapTimezones><mapZone other="X" territory="US" type="America/X"/></mapTimezones></windowsZones></supplementalData>`,
		"two 001":      `<supplementalData><windowsZones><mapTimezones><mapZone other="X" territory="001" type="A/B"/><mapZone other="X" territory="001" type="A/C"/></mapTimezones></windowsZones></supplementalData>`,
		"zone twice":   `<supplementalData><windowsZones><mapTimezones><mapZone other="X" territory="001" type="A/B"/><mapZone other="Y" territory="001" type="A/B"/></mapTimezones></windowsZones></supplementalData>`,
		"empty type":   `<supplementalData><windowsZones><mapTimezones><mapZone other="X" territory="001" type=""/></mapTimezones></windowsZones></supplementalData>`,
		"empty source": `<supplementalData><windowsZones><mapTimezones><mapZone other="X" territory="001" type="A/B"/></mapTimezones></windowsZones></supplementalData>`,
	} {
		n := note
		if name == "empty source" {
			n = nil
		}
		if _, err := generate([]byte(xml), n); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
