package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestOfflineExcel(t *testing.T) {
	var out bytes.Buffer
	if err := offline(context.Background(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"Uploaded Sales 2026.xlsx",
		"Opened a persistent workbook session",
		"Added table Table1 and sorted it by Q3",
		"Sheet1!A1:D6:",
		"  Region    Q1    Q2    Q3\n  East    1430  1390  1520\n  North   1200  1350  1410\n  South    980  1020  1105\n  West     760   845   910\n  Total   4370  4605  4945\n",
		"Header font: bold=true color=#FFFFFF",
		"Q3 above 1200: East, North\n",
		"Added Chart 1 (series Q1, Q2, Q3), rendered 640×384\n",
		"PMT(5%/12, 36, -20000) = 599.42 a month",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
}
