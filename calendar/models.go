package calendar

import "time"

// Enumerations, spelled as Graph sends them. Graph reads them without
// regard to case.

// Importance of an event.
type Importance string

// Importance values.
const (
	ImportanceLow    Importance = "low"
	ImportanceNormal Importance = "normal"
	ImportanceHigh   Importance = "high"
)

// Sensitivity of an event: who may see its details.
type Sensitivity string

// Sensitivity values.
const (
	SensitivityNormal       Sensitivity = "normal"
	SensitivityPersonal     Sensitivity = "personal"
	SensitivityPrivate      Sensitivity = "private"
	SensitivityConfidential Sensitivity = "confidential"
)

// FreeBusyStatus is how an event shows in its owner's availability (an
// event's showAs), or an availability in a schedule.
type FreeBusyStatus string

// FreeBusyStatus values.
const (
	Free             FreeBusyStatus = "free"
	Tentative        FreeBusyStatus = "tentative"
	Busy             FreeBusyStatus = "busy"
	OutOfOffice      FreeBusyStatus = "oof"
	WorkingElsewhere FreeBusyStatus = "workingElsewhere"
	UnknownStatus    FreeBusyStatus = "unknown"
)

// EventType tells single events, series masters and their occurrences apart.
type EventType string

// EventType values.
const (
	SingleInstance EventType = "singleInstance"
	Occurrence     EventType = "occurrence"
	Exception      EventType = "exception"
	SeriesMaster   EventType = "seriesMaster"
)

// ResponseType is an attendee's answer to an invitation.
type ResponseType string

// ResponseType values.
const (
	ResponseNone                ResponseType = "none"
	ResponseOrganizer           ResponseType = "organizer"
	ResponseTentativelyAccepted ResponseType = "tentativelyAccepted"
	ResponseAccepted            ResponseType = "accepted"
	ResponseDeclined            ResponseType = "declined"
	ResponseNotResponded        ResponseType = "notResponded"
)

// AttendeeType is whether an attendee is required, optional, or a
// resource such as a room.
type AttendeeType string

// AttendeeType values.
const (
	Required AttendeeType = "required"
	Optional AttendeeType = "optional"
	Resource AttendeeType = "resource"
)

// BodyType is the format of a body.
type BodyType string

// BodyType values.
const (
	Text BodyType = "text"
	HTML BodyType = "html"
)

// OnlineMeetingProvider names an online meeting service.
type OnlineMeetingProvider string

// OnlineMeetingProvider values.
const (
	UnknownProvider  OnlineMeetingProvider = "unknown"
	SkypeForBusiness OnlineMeetingProvider = "skypeForBusiness"
	SkypeForConsumer OnlineMeetingProvider = "skypeForConsumer"
	TeamsForBusiness OnlineMeetingProvider = "teamsForBusiness"
)

// CalendarColor is the color of a calendar in Outlook.
type CalendarColor string

// CalendarColor values.
const (
	ColorAuto        CalendarColor = "auto"
	ColorLightBlue   CalendarColor = "lightBlue"
	ColorLightGreen  CalendarColor = "lightGreen"
	ColorLightOrange CalendarColor = "lightOrange"
	ColorLightGray   CalendarColor = "lightGray"
	ColorLightYellow CalendarColor = "lightYellow"
	ColorLightTeal   CalendarColor = "lightTeal"
	ColorLightPink   CalendarColor = "lightPink"
	ColorLightBrown  CalendarColor = "lightBrown"
	ColorLightRed    CalendarColor = "lightRed"
)

// EmailAddress is a name and an address (Graph's emailAddress).
type EmailAddress struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// Recipient is someone an event is from or to (Graph's recipient).
type Recipient struct {
	EmailAddress EmailAddress `json:"emailAddress"`
}

// ItemBody is the content of an event, as text or HTML.
type ItemBody struct {
	ContentType BodyType `json:"contentType,omitempty"`
	Content     string   `json:"content"`
}

// ResponseStatus is an answer to an invitation and when it was given.
// Graph writes the zero Time, meaning "never", as 0001-01-01T00:00:00Z.
type ResponseStatus struct {
	Response ResponseType `json:"response,omitempty"`
	Time     time.Time    `json:"time"`
}

// Attendee is someone invited to an event (required, optional or a
// resource), with their answer as the organizer's copy records it.
type Attendee struct {
	Type         AttendeeType    `json:"type,omitempty"`
	EmailAddress EmailAddress    `json:"emailAddress"`
	Status       *ResponseStatus `json:"status,omitempty"`
	// ProposedNewTime is a time the attendee proposed instead.
	ProposedNewTime *TimeSlot `json:"proposedNewTime,omitempty"`
}

// PhysicalAddress is a postal address.
type PhysicalAddress struct {
	Street          string `json:"street,omitempty"`
	City            string `json:"city,omitempty"`
	State           string `json:"state,omitempty"`
	CountryOrRegion string `json:"countryOrRegion,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
}

// GeoCoordinates is a place on Earth (Graph's outlookGeoCoordinates).
type GeoCoordinates struct {
	Latitude         float64 `json:"latitude,omitempty"`
	Longitude        float64 `json:"longitude,omitempty"`
	Altitude         float64 `json:"altitude,omitempty"`
	Accuracy         float64 `json:"accuracy,omitempty"`
	AltitudeAccuracy float64 `json:"altitudeAccuracy,omitempty"`
}

// Location is where an event takes place.
type Location struct {
	DisplayName          string           `json:"displayName,omitempty"`
	LocationType         string           `json:"locationType,omitempty"` // default, conferenceRoom, homeAddress, …
	LocationEmailAddress string           `json:"locationEmailAddress,omitempty"`
	LocationURI          string           `json:"locationUri,omitempty"`
	UniqueID             string           `json:"uniqueId,omitempty"`
	UniqueIDType         string           `json:"uniqueIdType,omitempty"` // unknown, locationStore, directory, private, bing
	Address              *PhysicalAddress `json:"address,omitempty"`
	Coordinates          *GeoCoordinates  `json:"coordinates,omitempty"`
}

// Phone is a phone number of an online meeting.
type Phone struct {
	Number   string `json:"number,omitempty"`
	Type     string `json:"type,omitempty"`
	Language string `json:"language,omitempty"`
	Region   string `json:"region,omitempty"`
}

// OnlineMeetingInfo is how to join an online meeting.
type OnlineMeetingInfo struct {
	JoinURL         string   `json:"joinUrl,omitempty"`
	ConferenceID    string   `json:"conferenceId,omitempty"`
	TollNumber      string   `json:"tollNumber,omitempty"`
	TollFreeNumbers []string `json:"tollFreeNumbers,omitempty"`
	QuickDial       string   `json:"quickDial,omitempty"`
	Phones          []Phone  `json:"phones,omitempty"`
}
