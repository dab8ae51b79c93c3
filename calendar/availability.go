package calendar

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// ScheduleInformation is the availability of one user, room or
// distribution list between two times (Graph's scheduleInformation).
type ScheduleInformation struct {
	// ScheduleID is the address asked about.
	ScheduleID string `json:"scheduleId"`
	// AvailabilityView has one digit per interval of the window: 0 free,
	// 1 tentative, 2 busy, 3 out of office, 4 working elsewhere.
	AvailabilityView string         `json:"availabilityView"`
	ScheduleItems    []ScheduleItem `json:"scheduleItems,omitempty"`
	WorkingHours     *WorkingHours  `json:"workingHours,omitempty"`
	// Error says why the availability could not be read (an unknown
	// address, no permission), in which case the rest is empty.
	Error *FreeBusyError `json:"error,omitempty"`
}

// FreeBusyError is why a schedule could not be read.
type FreeBusyError struct {
	Message      string `json:"message,omitempty"`
	ResponseCode string `json:"responseCode,omitempty"`
}

// ScheduleItem is one busy (or tentative, …) span of a schedule. Subject
// and Location are empty when the owner keeps them private.
type ScheduleItem struct {
	Start     time.Time      `json:"start"`
	End       time.Time      `json:"end"`
	Status    FreeBusyStatus `json:"status,omitempty"`
	Subject   string         `json:"subject,omitempty"`
	Location  string         `json:"location,omitempty"`
	IsPrivate bool           `json:"isPrivate"`
}

type scheduleItemFields ScheduleItem

type scheduleItemWire struct {
	*scheduleItemFields
	Start *dateTimeTimeZone `json:"start,omitempty"`
	End   *dateTimeTimeZone `json:"end,omitempty"`
}

// MarshalJSON writes start and end as dateTimeTimeZone objects.
func (i ScheduleItem) MarshalJSON() ([]byte, error) {
	return api.Marshal(scheduleItemWire{(*scheduleItemFields)(&i), wireOf(i.Start), wireOf(i.End)})
}

// UnmarshalJSON reads start and end from dateTimeTimeZone objects.
func (i *ScheduleItem) UnmarshalJSON(b []byte) error {
	w := scheduleItemWire{scheduleItemFields: (*scheduleItemFields)(i)}
	if err := api.Unmarshal(b, &w); err != nil {
		return err
	}
	var err error
	if i.Start, err = w.Start.timeOf("scheduleItem start"); err != nil {
		return err
	}
	i.End, err = w.End.timeOf("scheduleItem end")
	return err
}

// WorkingHours is when a user works. StartTime and EndTime are times of
// day as Graph writes them ("08:00:00.0000000") in TimeZone.
type WorkingHours struct {
	DaysOfWeek []DayOfWeek   `json:"daysOfWeek,omitempty"`
	StartTime  string        `json:"startTime,omitempty"`
	EndTime    string        `json:"endTime,omitempty"`
	TimeZone   *TimeZoneBase `json:"timeZone,omitempty"`
}

// TimeZoneBase names a zone. A zone Windows does not know comes as a
// custom zone (ODataType "#microsoft.graph.customTimeZone") with its
// rules: Bias (minutes behind UTC) and the standard and daylight offsets.
type TimeZoneBase struct {
	ODataType      string              `json:"@odata.type,omitempty"`
	Name           string              `json:"name,omitempty"`
	Bias           *int                `json:"bias,omitempty"`
	StandardOffset *StandardTimeOffset `json:"standardOffset,omitempty"`
	DaylightOffset *DaylightTimeOffset `json:"daylightOffset,omitempty"`
}

// StandardTimeOffset is when a custom zone's standard time starts.
type StandardTimeOffset struct {
	Time          string    `json:"time,omitempty"`
	DayOccurrence int       `json:"dayOccurrence"`
	DayOfWeek     DayOfWeek `json:"dayOfWeek,omitempty"`
	Month         int       `json:"month"`
	Year          int       `json:"year"`
}

// DaylightTimeOffset is when a custom zone's daylight time starts, and
// its bias from standard time.
type DaylightTimeOffset struct {
	StandardTimeOffset
	DaylightBias int `json:"daylightBias"`
}

// GetAvailability reads the free/busy schedules of users, rooms or
// distribution lists (by email address) between start and end, with
// AvailabilityView in steps of interval (whole minutes from 5 to 1440;
// 0 means Graph's default, 30 minutes). Times come in the Schedule's
// Location. An address Graph cannot read comes back with Error set.
func (s *Schedule) GetAvailability(ctx context.Context, schedules []string, start, end time.Time, interval time.Duration) ([]ScheduleInformation, error) {
	if len(schedules) == 0 {
		return nil, errors.New("calendar: GetAvailability: no schedules to look up")
	}
	if err := checkSpan("GetAvailability window", start, end); err != nil {
		return nil, err
	}
	minutes := int(interval / time.Minute)
	if interval != 0 && (interval%time.Minute != 0 || minutes < 5 || minutes > 1440) {
		return nil, fmt.Errorf("calendar: GetAvailability: interval %v is not a whole number of minutes from 5 to 1440", interval)
	}
	body := map[string]any{
		"schedules": schedules,
		"startTime": wireOf(start),
		"endTime":   wireOf(end),
	}
	if minutes != 0 {
		body["availabilityViewInterval"] = minutes
	}
	var page struct {
		Value []ScheduleInformation `json:"value"`
	}
	if err := do(ctx, &s.Component, s.Location, "POST", s.BuildURL("/calendar/getSchedule"), body, &page); err != nil {
		return nil, err
	}
	loc := location(s.Location)
	for i := range page.Value {
		for j := range page.Value[i].ScheduleItems {
			it := &page.Value[i].ScheduleItems[j]
			it.Start, it.End = it.Start.In(loc), it.End.In(loc)
		}
	}
	return page.Value, nil
}

// MeetingTimeRequest asks FindMeetingTimes for times that suit attendees
// (Graph's findMeetingTimes parameters). Only Attendees is needed; the
// rest narrow the search.
type MeetingTimeRequest struct {
	Attendees          []Attendee          `json:"attendees,omitempty"`
	LocationConstraint *LocationConstraint `json:"locationConstraint,omitempty"`
	TimeConstraint     *TimeConstraint     `json:"timeConstraint,omitempty"`
	// MeetingDuration is how long the meeting lasts; Graph's default is
	// 30 minutes.
	MeetingDuration time.Duration `json:"meetingDuration,omitempty"`
	// MaxCandidates bounds how many suggestions come back.
	MaxCandidates           int  `json:"maxCandidates,omitempty"`
	IsOrganizerOptional     bool `json:"isOrganizerOptional,omitempty"`
	ReturnSuggestionReasons bool `json:"returnSuggestionReasons,omitempty"`
	// MinimumAttendeePercentage is the least confidence (0–100) a
	// suggestion needs; Graph's default is 50.
	MinimumAttendeePercentage float64 `json:"minimumAttendeePercentage,omitempty"`
}

type meetingTimeRequestFields MeetingTimeRequest

// MarshalJSON writes MeetingDuration as an ISO 8601 duration ("PT1H30M").
func (r MeetingTimeRequest) MarshalJSON() ([]byte, error) {
	return api.Marshal(struct {
		*meetingTimeRequestFields
		MeetingDuration string `json:"meetingDuration,omitempty"`
	}{(*meetingTimeRequestFields)(&r), isoDuration(r.MeetingDuration)})
}

// isoDuration writes d as an ISO 8601 duration of hours, minutes and
// seconds, or "" for zero.
func isoDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("PT")
	if h := d / time.Hour; h > 0 {
		b.WriteString(strconv.FormatInt(int64(h), 10) + "H")
		d -= h * time.Hour
	}
	if m := d / time.Minute; m > 0 {
		b.WriteString(strconv.FormatInt(int64(m), 10) + "M")
		d -= m * time.Minute
	}
	if d > 0 {
		b.WriteString(strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "S")
	}
	return b.String()
}

// TimeConstraint is when a meeting may take place: within TimeSlots, and
// within the hours ActivityDomain names ("work", the default: the
// organizer's working hours; "personal"; "unrestricted").
type TimeConstraint struct {
	ActivityDomain string     `json:"activityDomain,omitempty"`
	TimeSlots      []TimeSlot `json:"timeSlots,omitempty"`
}

// LocationConstraint is where a meeting may take place.
type LocationConstraint struct {
	IsRequired      bool                     `json:"isRequired"`
	SuggestLocation bool                     `json:"suggestLocation"`
	Locations       []LocationConstraintItem `json:"locations,omitempty"`
}

// LocationConstraintItem is a place a meeting may take place in.
type LocationConstraintItem struct {
	Location
	ResolveAvailability bool `json:"resolveAvailability"`
}

// MeetingTimeSuggestionsResult is what FindMeetingTimes found.
type MeetingTimeSuggestionsResult struct {
	MeetingTimeSuggestions []MeetingTimeSuggestion `json:"meetingTimeSuggestions"`
	// EmptySuggestionsReason says why there are no suggestions
	// (attendeesUnavailable, organizerUnavailable, …); empty otherwise.
	EmptySuggestionsReason string `json:"emptySuggestionsReason"`
}

// MeetingTimeSuggestion is one time that suits the attendees.
type MeetingTimeSuggestion struct {
	// Confidence (0–100) is the likelihood that everyone can attend.
	Confidence            float64                `json:"confidence"`
	Order                 int                    `json:"order"`
	OrganizerAvailability FreeBusyStatus         `json:"organizerAvailability,omitempty"`
	AttendeeAvailability  []AttendeeAvailability `json:"attendeeAvailability,omitempty"`
	Locations             []Location             `json:"locations,omitempty"`
	MeetingTimeSlot       TimeSlot               `json:"meetingTimeSlot"`
	SuggestionReason      string                 `json:"suggestionReason,omitempty"`
}

// AttendeeAvailability is whether one attendee is free at a suggested time.
type AttendeeAvailability struct {
	Attendee     Attendee       `json:"attendee"`
	Availability FreeBusyStatus `json:"availability,omitempty"`
}

// FindMeetingTimes suggests times when the attendees of req (and the
// organizer, unless optional) are free. Times come in the Schedule's
// Location.
func (s *Schedule) FindMeetingTimes(ctx context.Context, req MeetingTimeRequest) (*MeetingTimeSuggestionsResult, error) {
	if req.MeetingDuration < 0 {
		return nil, fmt.Errorf("calendar: FindMeetingTimes: negative meeting duration %v", req.MeetingDuration)
	}
	if tc := req.TimeConstraint; tc != nil {
		for _, slot := range tc.TimeSlots {
			if err := checkSpan("FindMeetingTimes time slot", slot.Start, slot.End); err != nil {
				return nil, err
			}
		}
	}
	res := new(MeetingTimeSuggestionsResult)
	if err := do(ctx, &s.Component, s.Location, "POST", s.BuildURL("/findMeetingTimes"), req, res); err != nil {
		return nil, err
	}
	loc := location(s.Location)
	for i := range res.MeetingTimeSuggestions {
		res.MeetingTimeSuggestions[i].MeetingTimeSlot = res.MeetingTimeSuggestions[i].MeetingTimeSlot.in(loc)
	}
	return res, nil
}
