package teams

import (
	"context"
	"iter"
	"time"

	"github.com/go-o365/o365/api"
)

// InstalledApp is an app installed in a team (Graph's
// teamsAppInstallation). Its ID is the installation's, not the app's:
// the app is TeamsApp (when expanded) or Definition.TeamsAppID.
type InstalledApp struct {
	ID         string         `json:"id,omitempty"`
	TeamsApp   *TeamsApp      `json:"teamsApp,omitempty"`
	Definition *AppDefinition `json:"teamsAppDefinition,omitempty"`
}

// TeamsApp is an app in the Teams app catalog.
type TeamsApp struct {
	ID                 string `json:"id,omitempty"`
	ExternalID         string `json:"externalId,omitempty"`
	DisplayName        string `json:"displayName,omitempty"`
	DistributionMethod string `json:"distributionMethod,omitempty"` // store, organization or sideloaded
}

// AppDefinition is the details of one version of a Teams app.
type AppDefinition struct {
	ID                   string    `json:"id,omitempty"`
	TeamsAppID           string    `json:"teamsAppId,omitempty"`
	AzureADAppID         string    `json:"azureADAppId,omitempty"`
	DisplayName          string    `json:"displayName,omitempty"`
	Version              string    `json:"version,omitempty"`
	PublishingState      string    `json:"publishingState,omitempty"`
	ShortDescription     string    `json:"shortDescription,omitempty"`
	Description          string    `json:"description,omitempty"`
	LastModifiedDateTime time.Time `json:"lastModifiedDateTime,omitzero"`
}

// InstalledApps iterates over the apps installed in the team, each with
// its definition (name, version, description): they are listed with
// $expand=teamsAppDefinition. It needs teams_all
// (TeamsAppInstallation.ReadForTeam).
func (tm *Team) InstalledApps(ctx context.Context, opts ...api.ListOption) iter.Seq2[InstalledApp, error] {
	if err := tm.exists(); err != nil {
		return fail[InstalledApp](err)
	}
	opts = append([]api.ListOption{api.Param("$expand", "teamsAppDefinition")}, opts...)
	return api.List[InstalledApp](ctx, tm.Con(), tm.BuildBaseURL(teamPath(tm.ID)+"/installedApps"), opts...)
}
