package groups

import (
	"strings"
	"time"

	"github.com/go-o365/o365/api"
)

// Group is a Microsoft Entra group: a Microsoft 365 group (GroupTypes
// holds "Unified"), a security group or a distribution list, with the
// structural properties Graph's group resource has, by Graph's JSON
// names. Graph sends the default ones on every get and list; those
// marked "$select only" come only when a query selects them.
//
// A Group read through Groups is bound to its connection, so its methods
// (Members, Owners, Conversations, …) work on it directly.
type Group struct {
	api.Component `json:"-"`

	// ODataType is "#microsoft.graph.group" where Graph lists groups
	// among other directory objects (memberOf); empty elsewhere.
	ODataType string `json:"@odata.type,omitempty"`
	ID        string `json:"id,omitempty"`

	DisplayName     string   `json:"displayName,omitempty"`
	Description     string   `json:"description,omitempty"`
	Mail            string   `json:"mail,omitempty"`
	MailEnabled     bool     `json:"mailEnabled"`
	MailNickname    string   `json:"mailNickname,omitempty"`
	SecurityEnabled bool     `json:"securityEnabled"`
	GroupTypes      []string `json:"groupTypes,omitempty"`
	// Visibility is "Public", "Private" or "HiddenMembership"; empty for
	// groups that never set it.
	Visibility     string   `json:"visibility,omitempty"`
	Classification string   `json:"classification,omitempty"`
	ProxyAddresses []string `json:"proxyAddresses,omitempty"`
	Theme          string   `json:"theme,omitempty"`

	CreatedDateTime    time.Time `json:"createdDateTime,omitzero"`
	ExpirationDateTime time.Time `json:"expirationDateTime,omitzero"`
	RenewedDateTime    time.Time `json:"renewedDateTime,omitzero"`
	DeletedDateTime    time.Time `json:"deletedDateTime,omitzero"`

	// IsAssignableToRole is nil when Graph sends null (never set).
	IsAssignableToRole            *bool  `json:"isAssignableToRole,omitempty"`
	MembershipRule                string `json:"membershipRule,omitempty"`
	MembershipRuleProcessingState string `json:"membershipRuleProcessingState,omitempty"` // "On" or "Paused"
	PreferredDataLocation         string `json:"preferredDataLocation,omitempty"`
	PreferredLanguage             string `json:"preferredLanguage,omitempty"`
	SecurityIdentifier            string `json:"securityIdentifier,omitempty"`

	// ResourceBehaviorOptions and ResourceProvisioningOptions are set at
	// creation; "Team" in the latter marks a group with a team.
	ResourceBehaviorOptions     []string `json:"resourceBehaviorOptions,omitempty"`
	ResourceProvisioningOptions []string `json:"resourceProvisioningOptions,omitempty"`

	// Synchronisation from an on-premises directory; empty for cloud groups.
	OnPremisesDomainName         string                        `json:"onPremisesDomainName,omitempty"`
	OnPremisesNetBiosName        string                        `json:"onPremisesNetBiosName,omitempty"`
	OnPremisesSamAccountName     string                        `json:"onPremisesSamAccountName,omitempty"`
	OnPremisesSecurityIdentifier string                        `json:"onPremisesSecurityIdentifier,omitempty"`
	OnPremisesLastSyncDateTime   time.Time                     `json:"onPremisesLastSyncDateTime,omitzero"`
	OnPremisesSyncEnabled        *bool                         `json:"onPremisesSyncEnabled,omitempty"`
	OnPremisesProvisioningErrors []OnPremisesProvisioningError `json:"onPremisesProvisioningErrors,omitempty"`

	// $select only, and only on a get of one group.
	AllowExternalSenders    *bool `json:"allowExternalSenders,omitempty"`
	AutoSubscribeNewMembers *bool `json:"autoSubscribeNewMembers,omitempty"`
	HideFromAddressLists    *bool `json:"hideFromAddressLists,omitempty"`
	HideFromOutlookClients  *bool `json:"hideFromOutlookClients,omitempty"`
	IsSubscribedByMail      *bool `json:"isSubscribedByMail,omitempty"`
	UnseenCount             *int  `json:"unseenCount,omitempty"`
}

// OnPremisesProvisioningError is an error synchronising a group from an
// on-premises directory.
type OnPremisesProvisioningError struct {
	Category             string    `json:"category,omitempty"`
	OccurredDateTime     time.Time `json:"occurredDateTime,omitzero"`
	PropertyCausingError string    `json:"propertyCausingError,omitempty"`
	Value                string    `json:"value,omitempty"`
}

// IsUnified reports whether g is a Microsoft 365 group, the kind with a
// mailbox, conversations, a calendar and a drive.
func (g *Group) IsUnified() bool {
	for _, t := range g.GroupTypes {
		if strings.EqualFold(t, "Unified") {
			return true
		}
	}
	return false
}

// Resource is the group as a main resource, "groups/{id}": pass it to
// account.Schedule for the group's calendar and to account.Storage for
// its document library.
func (g *Group) Resource() string { return Resource(g.ID) }

// Resource is the main resource of the group with the given id,
// "groups/{id}".
func Resource(id string) string { return "groups/" + id }

// Object types of directory objects, as @odata.type names them.
const (
	TypeUser  = "#microsoft.graph.user"
	TypeGroup = "#microsoft.graph.group"
)

// DirectoryObject is a member or owner of a group: a user or a nested
// group (in a real tenant also a device, an organisational contact or a
// service principal), as Graph lists them. ODataType says which; the
// properties Graph sends for either kind by default are here, so
// nothing is lost whichever it is.
type DirectoryObject struct {
	ODataType   string `json:"@odata.type,omitempty"`
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
	Mail        string `json:"mail,omitempty"`

	// Users.
	UserPrincipalName string   `json:"userPrincipalName,omitempty"`
	GivenName         string   `json:"givenName,omitempty"`
	Surname           string   `json:"surname,omitempty"`
	JobTitle          string   `json:"jobTitle,omitempty"`
	MobilePhone       string   `json:"mobilePhone,omitempty"`
	OfficeLocation    string   `json:"officeLocation,omitempty"`
	PreferredLanguage string   `json:"preferredLanguage,omitempty"`
	BusinessPhones    []string `json:"businessPhones,omitempty"`
	AccountEnabled    *bool    `json:"accountEnabled,omitempty"`

	// Groups.
	Description     string   `json:"description,omitempty"`
	MailNickname    string   `json:"mailNickname,omitempty"`
	MailEnabled     *bool    `json:"mailEnabled,omitempty"`
	SecurityEnabled *bool    `json:"securityEnabled,omitempty"`
	GroupTypes      []string `json:"groupTypes,omitempty"`
	Visibility      string   `json:"visibility,omitempty"`
}

// IsUser reports whether the object is a user.
func (o *DirectoryObject) IsUser() bool { return strings.EqualFold(o.ODataType, TypeUser) }

// IsGroup reports whether the object is a group.
func (o *DirectoryObject) IsGroup() bool { return strings.EqualFold(o.ODataType, TypeGroup) }

// User returns the object as a directory user (the type
// account.CurrentUser returns).
func (o *DirectoryObject) User() *api.User {
	return &api.User{
		ID: o.ID, DisplayName: o.DisplayName, GivenName: o.GivenName, Surname: o.Surname, Mail: o.Mail,
		UserPrincipalName: o.UserPrincipalName, JobTitle: o.JobTitle, MobilePhone: o.MobilePhone,
		OfficeLocation: o.OfficeLocation, PreferredLanguage: o.PreferredLanguage, BusinessPhones: o.BusinessPhones,
	}
}
