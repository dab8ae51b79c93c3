package message

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// BodyType is the format of a message body.
type BodyType string

// Body formats. Graph reads them without regard to case and answers in
// lower case.
const (
	Text BodyType = "text"
	HTML BodyType = "html"
)

// ItemBody is a message body and its format (Graph's itemBody).
type ItemBody struct {
	ContentType BodyType `json:"contentType,omitempty"`
	Content     string   `json:"content,omitempty"`
}

// Importance is how important the sender says a message is.
type Importance string

// Importance values.
const (
	Low    Importance = "low"
	Normal Importance = "normal"
	High   Importance = "high"
)

// FlagStatus is the state of a message's follow-up flag.
type FlagStatus string

// Follow-up flag states.
const (
	NotFlagged FlagStatus = "notFlagged"
	Flagged    FlagStatus = "flagged"
	Complete   FlagStatus = "complete"
)

// FollowupFlag is a message's follow-up flag (Graph's followupFlag). Its
// dates are sent to Graph in UTC.
//
// Graph sends the dates as dateTimeTimeZone objects, in UTC unless a
// Prefer: outlook.timezone header asked otherwise. A zone Go knows (UTC,
// IANA names) is honoured; a Windows zone name is read as UTC.
type FollowupFlag struct {
	Status    FlagStatus
	Start     time.Time
	Due       time.Time
	Completed time.Time
}

// IsZero reports whether the flag is unset, so an absent flag is omitted.
func (f FollowupFlag) IsZero() bool {
	return f.Status == "" && f.Start.IsZero() && f.Due.IsZero() && f.Completed.IsZero()
}

func (f FollowupFlag) equal(g FollowupFlag) bool {
	return f.Status == g.Status && f.Start.Equal(g.Start) && f.Due.Equal(g.Due) && f.Completed.Equal(g.Completed)
}

// dateTimeTimeZone is Graph's local time plus zone name.
type dateTimeTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone,omitempty"`
}

type wireFlag struct {
	FlagStatus        FlagStatus        `json:"flagStatus,omitempty"`
	StartDateTime     *dateTimeTimeZone `json:"startDateTime,omitempty"`
	DueDateTime       *dateTimeTimeZone `json:"dueDateTime,omitempty"`
	CompletedDateTime *dateTimeTimeZone `json:"completedDateTime,omitempty"`
}

// graphLocalTime is the layout of dateTimeTimeZone.dateTime.
const graphLocalTime = "2006-01-02T15:04:05.0000000"

// MarshalJSON writes the flag in Graph's shape.
func (f FollowupFlag) MarshalJSON() ([]byte, error) {
	w := wireFlag{FlagStatus: f.Status}
	w.StartDateTime = toDTZ(f.Start)
	w.DueDateTime = toDTZ(f.Due)
	w.CompletedDateTime = toDTZ(f.Completed)
	return api.Marshal(w)
}

// UnmarshalJSON reads the flag from Graph's shape.
func (f *FollowupFlag) UnmarshalJSON(data []byte) error {
	var w wireFlag
	if err := api.Unmarshal(data, &w); err != nil {
		return err
	}
	out := FollowupFlag{Status: w.FlagStatus}
	var err error
	if out.Start, err = fromDTZ("startDateTime", w.StartDateTime); err != nil {
		return err
	}
	if out.Due, err = fromDTZ("dueDateTime", w.DueDateTime); err != nil {
		return err
	}
	if out.Completed, err = fromDTZ("completedDateTime", w.CompletedDateTime); err != nil {
		return err
	}
	*f = out
	return nil
}

func toDTZ(t time.Time) *dateTimeTimeZone {
	if t.IsZero() {
		return nil
	}
	return &dateTimeTimeZone{DateTime: t.UTC().Format(graphLocalTime), TimeZone: "UTC"}
}

func fromDTZ(name string, d *dateTimeTimeZone) (time.Time, error) {
	if d == nil || d.DateTime == "" {
		return time.Time{}, nil
	}
	loc := time.UTC
	if d.TimeZone != "" && !strings.EqualFold(d.TimeZone, "UTC") {
		if l, err := time.LoadLocation(d.TimeZone); err == nil {
			loc = l
		}
	}
	s := strings.TrimSuffix(d.DateTime, "Z")
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("flag %s: unreadable dateTime %q", name, d.DateTime)
}

// InternetMessageHeader is one header of the message as it travels (Graph
// returns them only when $select asks for internetMessageHeaders). Custom
// headers set on a new message must start with "x-" or "X-".
type InternetMessageHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ExtendedProperty is a single-value MAPI property (Graph's
// singleValueLegacyExtendedProperty). Graph returns them only when asked
// with $expand=singleValueExtendedProperties($filter=id eq '…').
type ExtendedProperty struct {
	ID    string `json:"id"`
	Value string `json:"value"`
}

// Removed marks an item a delta round reports as gone from the folder.
type Removed struct {
	Reason string `json:"reason"`
}
