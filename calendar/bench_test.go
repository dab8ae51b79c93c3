package calendar_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/calendar"
)

// BenchmarkCalendarViewTenYears lists ten years of a daily series from
// graphtest (3652 occurrences, pages of 1000): through the library's
// CalendarView, and through a plain net/http + encoding/json loop making
// the same requests. Most of both is graphtest expanding and encoding the
// series.
func BenchmarkCalendarViewTenYears(b *testing.B) {
	srv := emulator(b)
	s := schedule(b, srv, adele, time.UTC)
	seedDaily(b, s)
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(10, 0, 0)
	b.Run("calendar", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range s.CalendarView(ctx, from, to, o365.BatchSize(1000)) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != 3652 {
				b.Fatal(n)
			}
		}
	})
	b.Run("net-http-encoding-json", func(b *testing.B) {
		tok, err := srv.UserToken(adele, "Calendars.Read")
		if err != nil {
			b.Fatal(err)
		}
		first := srv.GraphURL() + "/v1.0/me/calendarView?startDateTime=" + from.Format(time.RFC3339) +
			"&endDateTime=" + to.Format(time.RFC3339) + "&$top=1000"
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for next := first; next != ""; {
				req, _ := http.NewRequest("GET", next, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Prefer", `outlook.timezone="UTC"`)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				var p struct {
					Value    []calendar.PlainEvent
					NextLink string `json:"@odata.nextLink"`
				}
				err = json.NewDecoder(resp.Body).Decode(&p)
				resp.Body.Close()
				if err != nil {
					b.Fatal(err)
				}
				n += len(p.Value)
				next = p.NextLink
			}
			if n != 3652 {
				b.Fatal(n)
			}
		}
	})
}
