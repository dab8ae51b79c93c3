package teams

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"time"

	"github.com/go-o365/o365/api"
)

// Teams is Microsoft Teams for one user: their presence, the teams they
// belong to with channels and channel messages, and their chats.
//
// Teams, channels and chats are addressed from the service root
// (/teams/{id}, /chats/{id}); joined teams, chats, presence and the
// presence session are the main resource's (/me, or /users/{id}).
type Teams struct {
	api.Component

	// SessionID names the presence session SetPresence and ClearPresence
	// act on. Graph wants the application (client) id there; NewFrom
	// fills it in from a connection that knows it (an *o365.Connection
	// does), so it is only set by hand for other requesters.
	SessionID string
}

// New returns Teams for the protocol's default resource, using con for
// requests: the modular form, without an Account.
func New(con api.Requester, protocol api.Protocol) *Teams {
	return NewFrom(api.ParentOf(con, protocol))
}

// NewFrom returns Teams for parent's main resource (an Account, another
// component, or api.ParentOf), or for resource when one is given: "me",
// a user principal name or "users/{id}".
func NewFrom(parent api.Parent, resource ...string) *Teams {
	var r string
	if len(resource) > 0 {
		r = resource[0]
	}
	t := &Teams{Component: api.NewForResource(parent, r, nil)}
	if c, ok := parent.Con().(interface{ ClientID() string }); ok {
		t.SessionID = c.ClientID()
	}
	return t
}

// Team is a team in Microsoft Teams. A team is a Microsoft 365 group
// with a team: its ID is the group's id, and its members are the group's
// members and owners. JoinedTeams fills in only ID, DisplayName and
// Description (as Graph does); Team gets every property.
type Team struct {
	api.Component `json:"-"`

	ID                string             `json:"id,omitempty"`
	DisplayName       string             `json:"displayName,omitempty"`
	Description       string             `json:"description,omitempty"`
	InternalID        string             `json:"internalId,omitempty"`
	Classification    string             `json:"classification,omitempty"`
	Specialization    string             `json:"specialization,omitempty"`
	Visibility        string             `json:"visibility,omitempty"`
	WebURL            string             `json:"webUrl,omitempty"`
	TenantID          string             `json:"tenantId,omitempty"`
	IsArchived        bool               `json:"isArchived,omitempty"`
	CreatedDateTime   time.Time          `json:"createdDateTime,omitzero"`
	MemberSettings    *MemberSettings    `json:"memberSettings,omitempty"`
	GuestSettings     *GuestSettings     `json:"guestSettings,omitempty"`
	MessagingSettings *MessagingSettings `json:"messagingSettings,omitempty"`
	FunSettings       *FunSettings       `json:"funSettings,omitempty"`
	DiscoverySettings *DiscoverySettings `json:"discoverySettings,omitempty"`
	Summary           *TeamSummary       `json:"summary,omitempty"`
}

// MemberSettings says what members of a team may do.
type MemberSettings struct {
	AllowCreateUpdateChannels         bool `json:"allowCreateUpdateChannels"`
	AllowCreatePrivateChannels        bool `json:"allowCreatePrivateChannels,omitempty"`
	AllowDeleteChannels               bool `json:"allowDeleteChannels"`
	AllowAddRemoveApps                bool `json:"allowAddRemoveApps"`
	AllowCreateUpdateRemoveTabs       bool `json:"allowCreateUpdateRemoveTabs"`
	AllowCreateUpdateRemoveConnectors bool `json:"allowCreateUpdateRemoveConnectors"`
}

// GuestSettings says what guests of a team may do.
type GuestSettings struct {
	AllowCreateUpdateChannels bool `json:"allowCreateUpdateChannels"`
	AllowDeleteChannels       bool `json:"allowDeleteChannels"`
}

// MessagingSettings are a team's rules for messages.
type MessagingSettings struct {
	AllowUserEditMessages    bool `json:"allowUserEditMessages"`
	AllowUserDeleteMessages  bool `json:"allowUserDeleteMessages"`
	AllowOwnerDeleteMessages bool `json:"allowOwnerDeleteMessages"`
	AllowTeamMentions        bool `json:"allowTeamMentions"`
	AllowChannelMentions     bool `json:"allowChannelMentions"`
}

// FunSettings are a team's Giphy, sticker and meme settings.
type FunSettings struct {
	AllowGiphy            bool   `json:"allowGiphy"`
	GiphyContentRating    string `json:"giphyContentRating,omitempty"`
	AllowStickersAndMemes bool   `json:"allowStickersAndMemes"`
	AllowCustomMemes      bool   `json:"allowCustomMemes"`
}

// DiscoverySettings say whether a team shows in search and suggestions.
type DiscoverySettings struct {
	ShowInTeamsSearchAndSuggestions bool `json:"showInTeamsSearchAndSuggestions"`
}

// TeamSummary counts a team's owners, members and guests.
type TeamSummary struct {
	OwnersCount  int `json:"ownersCount"`
	MembersCount int `json:"membersCount"`
	GuestsCount  int `json:"guestsCount"`
}

// JoinedTeams iterates over the teams the user is a direct member of.
// Graph answers only each team's ID, DisplayName and Description here;
// Team gets the rest.
func (t *Teams) JoinedTeams(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Team, error] {
	return bound(api.List[*Team](ctx, t.Con(), t.BuildURL("/joinedTeams"), opts...), func(tm *Team) {
		tm.Component = t.Component
	})
}

// Team gets the team with the given id (its group's id). An id Graph
// does not know, or a team the user is not a member of, gives an error
// matching api.ErrNotFound.
func (t *Teams) Team(ctx context.Context, teamID string) (*Team, error) {
	if teamID == "" {
		return nil, errors.New("teams: Team: empty team id")
	}
	tm := new(Team)
	if err := t.GetJSON(ctx, t.BuildBaseURL(teamPath(teamID)), nil, tm); err != nil {
		return nil, err
	}
	tm.Component = t.Component
	return tm, nil
}

// TeamOf returns a Team for the id without asking Graph, for calling its
// methods when the id is all that is known.
func (t *Teams) TeamOf(teamID string) *Team {
	return &Team{Component: t.Component, ID: teamID}
}

// ChannelOf returns a Channel for the team and channel ids without asking
// Graph, for reading and sending its messages when the ids are known.
func (t *Teams) ChannelOf(teamID, channelID string) *Channel {
	return &Channel{Component: t.Component, TeamID: teamID, ID: channelID}
}

// teamPath is /teams/{id}, the id escaped as one path segment.
func teamPath(id string) string { return "/teams/" + url.PathEscape(id) }

// exists reports a team that cannot be acted on in Graph.
func (tm *Team) exists() error {
	if tm.Con() == nil {
		return errors.New("teams: team has no connection; get it from Teams")
	}
	if tm.ID == "" {
		return errors.New("teams: team has no id")
	}
	return nil
}

// bound passes seq on, calling bind on every item first.
func bound[T any](seq iter.Seq2[T, error], bind func(T)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			bind(v)
			if !yield(v, nil) {
				return
			}
		}
	}
}

// fail is an iterator that yields err alone.
func fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// need names an empty argument of a call.
func need(call, what, v string) error {
	if v == "" {
		return fmt.Errorf("teams: %s: empty %s", call, what)
	}
	return nil
}
