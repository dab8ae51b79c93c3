package calendar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-o365/o365/api"
)

// PlainEvent lets the external benchmarks decode into plainEvent.
type PlainEvent = plainEvent

// plainEvent is what a program on encoding/json alone would decode an
// event into: the same properties, times left as Graph's strings.
type plainEvent struct {
	ID                         string                                `json:"id"`
	ETag                       string                                `json:"@odata.etag"`
	CreatedDateTime            time.Time                             `json:"createdDateTime"`
	LastModifiedDateTime       time.Time                             `json:"lastModifiedDateTime"`
	ChangeKey                  string                                `json:"changeKey"`
	Categories                 []string                              `json:"categories"`
	OriginalStartTimeZone      string                                `json:"originalStartTimeZone"`
	OriginalEndTimeZone        string                                `json:"originalEndTimeZone"`
	ICalUID                    string                                `json:"iCalUId"`
	ReminderMinutesBeforeStart int                                   `json:"reminderMinutesBeforeStart"`
	IsReminderOn               bool                                  `json:"isReminderOn"`
	HasAttachments             bool                                  `json:"hasAttachments"`
	Subject                    string                                `json:"subject"`
	BodyPreview                string                                `json:"bodyPreview"`
	Importance                 string                                `json:"importance"`
	Sensitivity                string                                `json:"sensitivity"`
	IsAllDay                   bool                                  `json:"isAllDay"`
	IsCancelled                bool                                  `json:"isCancelled"`
	IsOrganizer                bool                                  `json:"isOrganizer"`
	ResponseRequested          bool                                  `json:"responseRequested"`
	SeriesMasterID             string                                `json:"seriesMasterId"`
	ShowAs                     string                                `json:"showAs"`
	Type                       string                                `json:"type"`
	WebLink                    string                                `json:"webLink"`
	IsOnlineMeeting            bool                                  `json:"isOnlineMeeting"`
	OnlineMeetingProvider      string                                `json:"onlineMeetingProvider"`
	AllowNewTimeProposals      bool                                  `json:"allowNewTimeProposals"`
	ResponseStatus             plainResponse                         `json:"responseStatus"`
	Body                       struct{ ContentType, Content string } `json:"body"`
	Start                      plainDateTime                         `json:"start"`
	End                        plainDateTime                         `json:"end"`
	Location                   plainLocation                         `json:"location"`
	Locations                  []plainLocation                       `json:"locations"`
	Recurrence                 *plainRecurrence                      `json:"recurrence"`
	Attendees                  []struct {
		Type         string        `json:"type"`
		Status       plainResponse `json:"status"`
		EmailAddress plainEmail    `json:"emailAddress"`
	} `json:"attendees"`
	Organizer struct {
		EmailAddress plainEmail `json:"emailAddress"`
	} `json:"organizer"`
}

type plainResponse struct {
	Response string    `json:"response"`
	Time     time.Time `json:"time"`
}

type plainDateTime struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

type plainLocation struct {
	DisplayName  string `json:"displayName"`
	LocationType string `json:"locationType"`
	UniqueID     string `json:"uniqueId"`
	UniqueIDType string `json:"uniqueIdType"`
}

type plainEmail struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

type plainRecurrence struct {
	Pattern struct {
		Type           string   `json:"type"`
		Interval       int      `json:"interval"`
		Month          int      `json:"month"`
		DayOfMonth     int      `json:"dayOfMonth"`
		DaysOfWeek     []string `json:"daysOfWeek"`
		FirstDayOfWeek string   `json:"firstDayOfWeek"`
		Index          string   `json:"index"`
	} `json:"pattern"`
	Range struct {
		Type                string `json:"type"`
		StartDate           string `json:"startDate"`
		EndDate             string `json:"endDate"`
		RecurrenceTimeZone  string `json:"recurrenceTimeZone"`
		NumberOfOccurrences int    `json:"numberOfOccurrences"`
	} `json:"range"`
}

// eventsPage is a page of n events as Graph sends them: each a weekly
// series with three attendees, in Pacific time.
func eventsPage(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('x')/events","value":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		day := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC).AddDate(0, 0, i%365)
		fmt.Fprintf(&b, `{"@odata.etag":"W/\"ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ==\"","id":"AAMkAGI1AAAt9AHjAAA%04d=","createdDateTime":"2017-04-15T03:00:50.7579581Z","lastModifiedDateTime":"2017-04-15T03:00:51.245372Z","changeKey":"ZlnW4RIAV06KYYwlrfNZvQAALfZeRQ==","categories":["Blue category"],"originalStartTimeZone":"Pacific Standard Time","originalEndTimeZone":"Pacific Standard Time","iCalUId":"040000008200E00074C5B7101A82E00800000000DA2B357D94B5D2010000000000000000100000%04d","reminderMinutesBeforeStart":15,"isReminderOn":true,"hasAttachments":false,"subject":"Weekly sync %d","bodyPreview":"Let's go over the numbers.","importance":"normal","sensitivity":"normal","isAllDay":false,"isCancelled":false,"isOrganizer":true,"responseRequested":true,"seriesMasterId":null,"showAs":"busy","type":"seriesMaster","webLink":"https://outlook.office365.com/owa/?itemid=AAMkAGI1AAAt9AHjAAA%%3D&exvsurl=1&path=/calendar/item","onlineMeetingUrl":null,"isOnlineMeeting":false,"onlineMeetingProvider":"unknown","allowNewTimeProposals":true,"responseStatus":{"response":"organizer","time":"0001-01-01T00:00:00Z"},"body":{"contentType":"html","content":"<html><head></head><body>Let's go over the numbers.</body></html>"},"start":{"dateTime":"%s","timeZone":"Pacific Standard Time"},"end":{"dateTime":"%s","timeZone":"Pacific Standard Time"},"location":{"displayName":"Conf Room 3","locationType":"default","uniqueId":"Conf Room 3","uniqueIdType":"private"},"locations":[{"displayName":"Conf Room 3","locationType":"default","uniqueIdType":"unknown"}],"recurrence":{"pattern":{"type":"weekly","interval":1,"month":0,"dayOfMonth":0,"daysOfWeek":["monday","thursday"],"firstDayOfWeek":"sunday","index":"first"},"range":{"type":"endDate","startDate":"%s","endDate":"2026-12-31","recurrenceTimeZone":"Pacific Standard Time","numberOfOccurrences":0}},"attendees":[{"type":"required","status":{"response":"accepted","time":"2025-01-02T10:00:00Z"},"emailAddress":{"name":"Alex Wilber","address":"AlexW@contoso.onmicrosoft.com"}},{"type":"required","status":{"response":"none","time":"0001-01-01T00:00:00Z"},"emailAddress":{"name":"Megan Bowen","address":"MeganB@contoso.onmicrosoft.com"}},{"type":"optional","status":{"response":"tentativelyAccepted","time":"2025-01-03T11:30:00Z"},"emailAddress":{"name":"Dana Swope","address":"DanaS@contoso.onmicrosoft.com"}}],"organizer":{"emailAddress":{"name":"Adele Vance","address":"AdeleV@contoso.onmicrosoft.com"}}}`,
			i, i, i, day.Format("2006-01-02T15:04:05.0000000"), day.Add(time.Hour).Format("2006-01-02T15:04:05.0000000"), day.Format("2006-01-02"))
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkDecodeEvents decodes a page of 1000 events with attendees and
// recurrence (2.5 MB): as the library's iterators do ("calendar": the page
// into eventWire, dateTimeTimeZone read into time.Time in the event's
// zone, each event shown in the schedule's zone and its state remembered
// for Save), the decoding alone ("calendar-decode-only"), through Event's
// own UnmarshalJSON ("calendar-Event"), and into plain structs with
// encoding/json and with the JSON v2 engine.
func BenchmarkDecodeEvents(b *testing.B) {
	page := eventsPage(1000)
	la, err := LoadLocation("America/Los_Angeles")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("calendar", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p api.Page[*eventWire]
			if err := api.Decode(bytes.NewReader(page), &p, "events page"); err != nil || len(p.Value) != 1000 {
				b.Fatal(err)
			}
			for _, w := range p.Value {
				ev, err := w.event()
				if err != nil {
					b.Fatal(err)
				}
				ev.bind(api.Component{}, la)
			}
		}
	})
	b.Run("calendar-decode-only", func(b *testing.B) { benchDecodePage[*eventWire](b, page) })
	b.Run("calendar-Event", func(b *testing.B) { benchDecodePage[*Event](b, page) })
	b.Run("encoding-json-plain", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p struct{ Value []plainEvent }
			if err := json.NewDecoder(bytes.NewReader(page)).Decode(&p); err != nil || len(p.Value) != 1000 {
				b.Fatal(err)
			}
		}
	})
	b.Run("jsonv2-plain", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p struct {
				Value []plainEvent `json:"value"`
			}
			if err := jsonv2.UnmarshalRead(bytes.NewReader(page), &p); err != nil || len(p.Value) != 1000 {
				b.Fatal(err)
			}
		}
	})
}

// benchDecodePage decodes the 1000-event page into api.Page[T] through
// the library's decoder.
func benchDecodePage[T any](b *testing.B, page []byte) {
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		var p api.Page[T]
		if err := api.Decode(bytes.NewReader(page), &p, "events page"); err != nil || len(p.Value) != 1000 {
			b.Fatal(err)
		}
	}
}
