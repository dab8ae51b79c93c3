package teams_test

import (
	"testing"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/internal/o365test"
	"github.com/go-o365/o365/teams"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPresenceSetByOneReadByAnother(t *testing.T) {
	e := newEnv(t)
	adele := e.signIn(adeleUPN, "presence_all")
	alex := e.signIn(alexUPN, "presence_all")
	assert.Equal(t, o365test.ClientID, adele.SessionID, "the session is named by the app id")

	p, err := alex.Presence(e.ctx, e.adele.ID)
	require.NoError(t, err)
	assert.Equal(t, teams.Presence{ID: e.adele.ID, Availability: teams.Offline, Activity: teams.ActivityOffline}, *p)

	require.NoError(t, adele.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Busy, Activity: teams.ActivityInACall, Expiration: time.Hour}))
	p, err = alex.Presence(e.ctx, adeleUPN)
	require.NoError(t, err)
	assert.Equal(t, teams.Busy, p.Availability)
	assert.Equal(t, teams.ActivityInACall, p.Activity)
	mine, err := adele.MyPresence(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, *p, *mine)

	// The preferred presence wins over the sessions.
	require.NoError(t, adele.SetPreferredPresence(e.ctx, teams.PresenceStatus{Availability: teams.DoNotDisturb, Activity: teams.ActivityDoNotDisturb, Expiration: 8 * time.Hour}))
	all, err := alex.Presences(e.ctx, e.adele.ID, e.alex.ID)
	require.NoError(t, err)
	assert.Equal(t, []teams.Presence{
		{ID: e.adele.ID, Availability: teams.DoNotDisturb, Activity: teams.ActivityDoNotDisturb},
		{ID: e.alex.ID, Availability: teams.Offline, Activity: teams.ActivityOffline},
	}, all)

	require.NoError(t, adele.ClearPreferredPresence(e.ctx))
	p, err = alex.Presence(e.ctx, e.adele.ID)
	require.NoError(t, err)
	assert.Equal(t, teams.Busy, p.Availability, "back to the session's state")

	require.NoError(t, adele.ClearPresence(e.ctx))
	p, err = alex.Presence(e.ctx, e.adele.ID)
	require.NoError(t, err)
	assert.Equal(t, teams.Offline, p.Availability, "no session left")
	assert.ErrorIs(t, adele.ClearPresence(e.ctx), api.ErrNotFound, "the session is gone")
}

func TestPreferredPresenceNeedsASession(t *testing.T) {
	e := newEnv(t)
	adele := e.signIn(adeleUPN, "presence_all")
	require.NoError(t, adele.SetPreferredPresence(e.ctx, teams.PresenceStatus{Availability: teams.BeRightBack, Activity: teams.ActivityBeRightBack}))
	p, err := adele.MyPresence(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, teams.Offline, p.Availability, "Graph shows a preferred presence only while a session exists")
	require.NoError(t, adele.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Available, Activity: teams.ActivityAvailable}))
	p, err = adele.MyPresence(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, teams.BeRightBack, p.Availability)
}

func TestPresenceScopes(t *testing.T) {
	e := newEnv(t)
	adele := e.signIn(adeleUPN, "presence") // Presence.Read: her own only
	_, err := adele.MyPresence(e.ctx)
	require.NoError(t, err)
	_, err = adele.Presence(e.ctx, e.alex.ID)
	assert.ErrorIs(t, err, api.ErrForbidden)
	_, err = adele.Presences(e.ctx, e.alex.ID)
	assert.ErrorIs(t, err, api.ErrForbidden)
	err = adele.SetPresence(e.ctx, teams.PresenceStatus{Availability: teams.Away, Activity: teams.ActivityAway})
	assert.ErrorIs(t, err, api.ErrForbidden)
}
