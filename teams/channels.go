package teams

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"time"

	"github.com/go-o365/o365/api"
)

// Channel is a channel of a team. Every team has a General channel.
type Channel struct {
	api.Component `json:"-"`
	// TeamID is the team the channel belongs to; not a Graph property,
	// set when the channel is read through a Team.
	TeamID string `json:"-"`

	ODataType           string    `json:"@odata.type,omitempty"`
	ID                  string    `json:"id,omitempty"`
	DisplayName         string    `json:"displayName,omitempty"`
	Description         string    `json:"description,omitempty"`
	Email               string    `json:"email,omitempty"`
	WebURL              string    `json:"webUrl,omitempty"`
	MembershipType      string    `json:"membershipType,omitempty"` // standard, private or shared
	TenantID            string    `json:"tenantId,omitempty"`
	IsFavoriteByDefault bool      `json:"isFavoriteByDefault,omitempty"`
	CreatedDateTime     time.Time `json:"createdDateTime,omitzero"`
}

// ConversationMember is a member of a channel or chat.
type ConversationMember struct {
	ODataType   string   `json:"@odata.type,omitempty"`
	ID          string   `json:"id,omitempty"` // the membership's id, opaque; not the user's
	Roles       []string `json:"roles"`        // "owner", "guest", or none for a member
	DisplayName string   `json:"displayName,omitempty"`
	UserID      string   `json:"userId,omitempty"`
	Email       string   `json:"email,omitempty"`
	TenantID    string   `json:"tenantId,omitempty"`
	// VisibleHistoryStartDateTime is from when a chat member sees the
	// chat's history; Graph's zero time means all of it.
	VisibleHistoryStartDateTime time.Time `json:"visibleHistoryStartDateTime,omitzero"`
}

// IsOwner reports whether the member has the owner role.
func (m ConversationMember) IsOwner() bool {
	for _, r := range m.Roles {
		if r == "owner" {
			return true
		}
	}
	return false
}

// Channels iterates over the team's channels.
func (tm *Team) Channels(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Channel, error] {
	if err := tm.exists(); err != nil {
		return fail[*Channel](err)
	}
	u := tm.BuildBaseURL(teamPath(tm.ID) + "/channels")
	return bound(api.List[*Channel](ctx, tm.Con(), u, opts...), func(c *Channel) {
		c.Component, c.TeamID = tm.Component, tm.ID
	})
}

// Channel gets one of the team's channels by id. An unknown id gives an
// error matching api.ErrNotFound.
func (tm *Team) Channel(ctx context.Context, channelID string) (*Channel, error) {
	if err := tm.exists(); err != nil {
		return nil, err
	}
	if err := need("Channel", "channel id", channelID); err != nil {
		return nil, err
	}
	c := &Channel{TeamID: tm.ID}
	if err := tm.GetJSON(ctx, tm.BuildBaseURL(channelPath(tm.ID, channelID)), nil, c); err != nil {
		return nil, err
	}
	c.Component = tm.Component
	return c, nil
}

// NewChannel is what CreateChannel creates.
type NewChannel struct {
	DisplayName string `json:"displayName"`
	Description string `json:"description,omitempty"`
	// MembershipType is "standard" (the default), "private" or "shared".
	MembershipType string `json:"membershipType,omitempty"`
}

// CreateChannel creates a channel in the team. A channel of that name
// already there gives an error matching api.ErrConflict.
func (tm *Team) CreateChannel(ctx context.Context, nc NewChannel) (*Channel, error) {
	if err := tm.exists(); err != nil {
		return nil, err
	}
	if err := need("CreateChannel", "display name", nc.DisplayName); err != nil {
		return nil, err
	}
	c := &Channel{TeamID: tm.ID}
	if err := tm.PostJSON(ctx, tm.BuildBaseURL(teamPath(tm.ID)+"/channels"), nc, c); err != nil {
		return nil, err
	}
	c.Component = tm.Component
	return c, nil
}

// Delete deletes the channel. The General channel cannot be deleted.
func (c *Channel) Delete(ctx context.Context) error {
	u, err := c.url("Delete", "")
	if err != nil {
		return err
	}
	return c.Component.Delete(ctx, u)
}

// Members iterates over the channel's members, with their roles.
func (c *Channel) Members(ctx context.Context, opts ...api.ListOption) iter.Seq2[ConversationMember, error] {
	u, err := c.url("Members", "/members")
	if err != nil {
		return fail[ConversationMember](err)
	}
	return api.List[ConversationMember](ctx, c.Con(), u, opts...)
}

// url is the channel's own URL with suffix, after checking it can be
// addressed.
func (c *Channel) url(call, suffix string) (string, error) {
	if c.Con() == nil {
		return "", errors.New("teams: " + call + ": channel has no connection; get it from a Team or Teams.ChannelOf")
	}
	if err := need(call, "team id", c.TeamID); err != nil {
		return "", err
	}
	if err := need(call, "channel id", c.ID); err != nil {
		return "", err
	}
	return c.BuildBaseURL(channelPath(c.TeamID, c.ID) + suffix), nil
}

func channelPath(teamID, channelID string) string {
	return teamPath(teamID) + "/channels/" + url.PathEscape(channelID)
}
