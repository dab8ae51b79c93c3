package todo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/calendar"
)

// fullTask is a task with every modelled property filled.
func fullTask(i int) *Task {
	berlin, err := calendar.LoadLocation("W. Europe Standard Time")
	if err != nil {
		panic(err)
	}
	at := time.Date(2025, 3, 1+i%28, 9, 30, 0, 0, time.UTC)
	return &Task{
		ID: fmt.Sprintf("AAMkADIyAAAhrbPWAAA-%04d=", i), ETag: `W/"xzyPKP0BiUGgld+lMKXwbQAAnBoTIw=="`,
		CreatedDateTime: at, LastModifiedDateTime: at.Add(time.Hour), BodyLastModifiedDateTime: at.Add(time.Minute),
		HasAttachments: true,
		Title:          fmt.Sprintf("Task number %d of the quarterly review", i),
		Body:           &ItemBody{Content: "<p>Notes for the task, a paragraph or two of them.</p>", ContentType: HTML},
		Importance:     High, Status: InProgress, Categories: []string{"Red category", "Project Falcon"},
		IsReminderOn:      true,
		DueDateTime:       time.Date(2025, 4, 1+i%28, 17, 0, 0, 0, berlin),
		StartDateTime:     time.Date(2025, 3, 1+i%28, 8, 0, 0, 0, berlin),
		ReminderDateTime:  time.Date(2025, 4, 1+i%28, 9, 0, 0, 0, berlin),
		CompletedDateTime: time.Date(2025, 4, 2, 10, 0, 0, 0, time.UTC),
		Recurrence: &calendar.Recurrence{
			Pattern: calendar.Pattern{Type: calendar.Weekly, Interval: 1, DaysOfWeek: []calendar.DayOfWeek{calendar.Friday}, FirstDayOfWeek: calendar.Sunday},
			Range:   calendar.Range{Type: calendar.NoEnd, StartDate: calendar.Date{Year: 2025, Month: 4, Day: 1 + i%28}},
		},
		ChecklistItems: []*ChecklistItem{
			{ID: "e3a26c2e-7c6f-4317-9d71-c27267008202", DisplayName: "Step one", IsChecked: true, CreatedDateTime: at, CheckedDateTime: at.Add(time.Hour)},
			{ID: "e3a26c2e-7c6f-4317-9d71-c27267008203", DisplayName: "Step two", CreatedDateTime: at},
		},
		LinkedResources: []*LinkedResource{{ID: "f9cddce2-dce2-f9cd-e2dc-cdf9e2dccdf9", WebURL: "https://contoso.com/t/1",
			ApplicationName: "Contoso", DisplayName: "Ticket 1", ExternalID: "T-1", ODataType: "#microsoft.graph.linkedResource"}},
	}
}

func taskPage(n int) []byte {
	page := api.Page[*Task]{NextLink: "https://graph.microsoft.com/v1.0/me/todo/lists/x/tasks?$skiptoken=abc"}
	for i := range n {
		page.Value = append(page.Value, fullTask(i))
	}
	b, err := api.Marshal(page)
	if err != nil {
		panic(err)
	}
	return b
}

// plainTask is what a program on encoding/json alone would decode a task
// into: the same properties, times left as Graph's strings.
type plainTask struct {
	ID                       string    `json:"id"`
	ETag                     string    `json:"@odata.etag"`
	CreatedDateTime          time.Time `json:"createdDateTime"`
	LastModifiedDateTime     time.Time `json:"lastModifiedDateTime"`
	BodyLastModifiedDateTime time.Time `json:"bodyLastModifiedDateTime"`
	HasAttachments           bool      `json:"hasAttachments"`
	Title                    string    `json:"title"`
	Body                     struct{ Content, ContentType string }
	Importance               string         `json:"importance"`
	Status                   string         `json:"status"`
	Categories               []string       `json:"categories"`
	IsReminderOn             bool           `json:"isReminderOn"`
	DueDateTime              *plainDateTime `json:"dueDateTime"`
	StartDateTime            *plainDateTime `json:"startDateTime"`
	ReminderDateTime         *plainDateTime `json:"reminderDateTime"`
	CompletedDateTime        *plainDateTime `json:"completedDateTime"`
	Recurrence               *struct {
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
	} `json:"recurrence"`
	ChecklistItems []struct {
		ID              string    `json:"id"`
		DisplayName     string    `json:"displayName"`
		IsChecked       bool      `json:"isChecked"`
		CreatedDateTime time.Time `json:"createdDateTime"`
		CheckedDateTime time.Time `json:"checkedDateTime"`
	} `json:"checklistItems"`
	LinkedResources []struct {
		ID, WebURL, ApplicationName, DisplayName, ExternalID string
	} `json:"linkedResources"`
}

type plainDateTime struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

// The benchmark's page decodes, through the list path, to the tasks it
// was made of: every property is filled and survives.
func TestBenchPageIsFull(t *testing.T) {
	page := new(api.Page[*taskWire])
	if err := api.Decode(bytes.NewReader(taskPage(3)), page, "page"); err != nil {
		t.Fatal(err)
	}
	for i, w := range page.Value {
		got, err := w.task()
		if err != nil {
			t.Fatal(err)
		}
		want := fullTask(i)
		for _, v := range []reflect.Value{reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()} {
			for f := range v.NumField() {
				if v.Type().Field(f).IsExported() && v.Field(f).IsZero() && v.Type().Field(f).Name != "Removed" && v.Type().Field(f).Name != "Component" {
					t.Errorf("task %d: %s is not filled", i, v.Type().Field(f).Name)
				}
			}
		}
		if !got.DueDateTime.Equal(want.DueDateTime) || got.Title != want.Title || len(got.ChecklistItems) != 2 ||
			got.Recurrence.Range.StartDate != want.Recurrence.Range.StartDate {
			t.Errorf("task %d decoded as %+v", i, got)
		}
	}
}

// BenchmarkDecodeTasks decodes a page of 1000 To Do tasks, every modelled
// property filled: the package's list path (the v2 engine into the wire
// shape, then each task's four dateTimeTimeZone times read in their zones)
// next to encoding/json into the same shape with the same conversion, and
// encoding/json into a plain struct that leaves times as strings.
func BenchmarkDecodeTasks(b *testing.B) {
	data := taskPage(1000)
	b.Run("todo", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			page := new(api.Page[*taskWire])
			if err := api.Decode(bytes.NewReader(data), page, "page"); err != nil {
				b.Fatal(err)
			}
			for _, w := range page.Value {
				if _, err := w.task(); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("encoding-json-same-types", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			page := new(api.Page[*taskWire])
			if err := json.Unmarshal(data, page); err != nil {
				b.Fatal(err)
			}
			for _, w := range page.Value {
				if _, err := w.task(); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("encoding-json-plain", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var page struct {
				Value []plainTask `json:"value"`
			}
			if err := json.Unmarshal(data, &page); err != nil {
				b.Fatal(err)
			}
		}
	})
}
