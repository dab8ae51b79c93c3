package api

import (
	"strings"
	"time"
)

// User is a Microsoft Graph user (Microsoft's "user" resource, property
// names as on the wire): the eleven properties Graph returns by default,
// and the structural properties of the directory that it returns only
// when asked for with $select (see UserAllProperties and the named sets
// below). A property Graph did not send keeps its zero value, so a
// directory client selects what it reads.
//
// Nullable booleans are pointers, because false and "not set" differ
// (a disabled account is not an account of unknown state). Profile
// properties that Graph answers only for a single user and only from
// SharePoint (aboutMe, birthday, skills, …), mailboxSettings and
// signInActivity, which need their own permissions, are not modelled.
type User struct {
	// Identity.
	ID                 string           `json:"id"`
	UserPrincipalName  string           `json:"userPrincipalName,omitempty"`
	Mail               string           `json:"mail,omitempty"`
	MailNickname       string           `json:"mailNickname,omitempty"`
	OtherMails         []string         `json:"otherMails,omitempty"`
	ProxyAddresses     []string         `json:"proxyAddresses,omitempty"` // "SMTP:" marks the primary address
	ImAddresses        []string         `json:"imAddresses,omitempty"`
	Identities         []ObjectIdentity `json:"identities,omitempty"`
	SecurityIdentifier string           `json:"securityIdentifier,omitempty"`

	// Names.
	DisplayName string `json:"displayName,omitempty"`
	GivenName   string `json:"givenName,omitempty"`
	Surname     string `json:"surname,omitempty"`

	// Job and organisation.
	JobTitle              string           `json:"jobTitle,omitempty"`
	Department            string           `json:"department,omitempty"`
	CompanyName           string           `json:"companyName,omitempty"`
	OfficeLocation        string           `json:"officeLocation,omitempty"`
	EmployeeID            string           `json:"employeeId,omitempty"`
	EmployeeType          string           `json:"employeeType,omitempty"` // Employee, Contractor, Consultant, Vendor, …
	EmployeeHireDate      time.Time        `json:"employeeHireDate,omitzero"`
	EmployeeLeaveDateTime time.Time        `json:"employeeLeaveDateTime,omitzero"`
	EmployeeOrgData       *EmployeeOrgData `json:"employeeOrgData,omitempty"`

	// Phones.
	BusinessPhones []string `json:"businessPhones,omitempty"`
	MobilePhone    string   `json:"mobilePhone,omitempty"`
	FaxNumber      string   `json:"faxNumber,omitempty"`

	// Address and location.
	StreetAddress string `json:"streetAddress,omitempty"`
	City          string `json:"city,omitempty"`
	State         string `json:"state,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Country       string `json:"country,omitempty"`
	UsageLocation string `json:"usageLocation,omitempty"` // ISO 3166 two-letter code; licences need it

	// Account state.
	AccountEnabled                  *bool  `json:"accountEnabled,omitempty"`
	UserType                        string `json:"userType,omitempty"`     // Member or Guest
	CreationType                    string `json:"creationType,omitempty"` // Invitation, LocalAccount, …; empty for a work account
	ExternalUserState               string `json:"externalUserState,omitempty"`
	ExternalUserStateChangeDateTime string `json:"externalUserStateChangeDateTime,omitempty"` // a string in Graph's schema, not a DateTimeOffset
	PasswordPolicies                string `json:"passwordPolicies,omitempty"`
	ShowInAddressList               *bool  `json:"showInAddressList,omitempty"`

	// Dates.
	CreatedDateTime                 time.Time `json:"createdDateTime,omitzero"`
	DeletedDateTime                 time.Time `json:"deletedDateTime,omitzero"`
	LastPasswordChangeDateTime      time.Time `json:"lastPasswordChangeDateTime,omitzero"`
	SignInSessionsValidFromDateTime time.Time `json:"signInSessionsValidFromDateTime,omitzero"`

	// Age and consent.
	AgeGroup                    string `json:"ageGroup,omitempty"`
	ConsentProvidedForMinor     string `json:"consentProvidedForMinor,omitempty"`
	LegalAgeGroupClassification string `json:"legalAgeGroupClassification,omitempty"`

	// Licences.
	AssignedLicenses        []AssignedLicense        `json:"assignedLicenses,omitempty"`
	AssignedPlans           []AssignedPlan           `json:"assignedPlans,omitempty"`
	ProvisionedPlans        []ProvisionedPlan        `json:"provisionedPlans,omitempty"`
	LicenseAssignmentStates []LicenseAssignmentState `json:"licenseAssignmentStates,omitempty"`

	// Preferences.
	PreferredLanguage     string `json:"preferredLanguage,omitempty"`
	PreferredDataLocation string `json:"preferredDataLocation,omitempty"`

	// On-premises synchronisation (Microsoft Entra Connect).
	OnPremisesSyncEnabled         *bool                          `json:"onPremisesSyncEnabled,omitempty"`
	OnPremisesImmutableID         string                         `json:"onPremisesImmutableId,omitempty"`
	OnPremisesSamAccountName      string                         `json:"onPremisesSamAccountName,omitempty"`
	OnPremisesUserPrincipalName   string                         `json:"onPremisesUserPrincipalName,omitempty"`
	OnPremisesDomainName          string                         `json:"onPremisesDomainName,omitempty"`
	OnPremisesDistinguishedName   string                         `json:"onPremisesDistinguishedName,omitempty"`
	OnPremisesSecurityIdentifier  string                         `json:"onPremisesSecurityIdentifier,omitempty"`
	OnPremisesLastSyncDateTime    time.Time                      `json:"onPremisesLastSyncDateTime,omitzero"`
	OnPremisesExtensionAttributes *OnPremisesExtensionAttributes `json:"onPremisesExtensionAttributes,omitempty"`
	OnPremisesProvisioningErrors  []OnPremisesProvisioningError  `json:"onPremisesProvisioningErrors,omitempty"`
}

// ObjectIdentity is one way of signing in to a user account (Graph's
// objectIdentity): the user principal name, a federated or social
// identity, or a local account's email address or user name.
type ObjectIdentity struct {
	SignInType       string `json:"signInType,omitempty"` // userPrincipalName, emailAddress, userName, federated
	Issuer           string `json:"issuer,omitempty"`
	IssuerAssignedID string `json:"issuerAssignedId,omitempty"`
}

// EmployeeOrgData is the part of the organisation a user belongs to.
type EmployeeOrgData struct {
	Division   string `json:"division,omitempty"`
	CostCenter string `json:"costCenter,omitempty"`
}

// AssignedLicense is a licence (a SKU) assigned to a user, with the
// service plans of the SKU that are turned off.
type AssignedLicense struct {
	SkuID         string   `json:"skuId,omitempty"`
	DisabledPlans []string `json:"disabledPlans,omitempty"`
}

// AssignedPlan is a service plan assigned to a user through a licence.
type AssignedPlan struct {
	AssignedDateTime time.Time `json:"assignedDateTime,omitzero"`
	CapabilityStatus string    `json:"capabilityStatus,omitempty"` // Enabled, Warning, Suspended, Deleted, LockedOut
	Service          string    `json:"service,omitempty"`          // e.g. exchange, SharePoint
	ServicePlanID    string    `json:"servicePlanId,omitempty"`
}

// ProvisionedPlan is a service plan as provisioned for a user.
type ProvisionedPlan struct {
	CapabilityStatus   string `json:"capabilityStatus,omitempty"`
	ProvisioningStatus string `json:"provisioningStatus,omitempty"` // Success, Error, PendingInput, …
	Service            string `json:"service,omitempty"`
}

// LicenseAssignmentState says how a licence reached a user (directly, or
// through a group) and whether assigning it worked.
type LicenseAssignmentState struct {
	AssignedByGroup     string    `json:"assignedByGroup,omitempty"` // group id; empty for a direct assignment
	DisabledPlans       []string  `json:"disabledPlans,omitempty"`
	Error               string    `json:"error,omitempty"`
	LastUpdatedDateTime time.Time `json:"lastUpdatedDateTime,omitzero"`
	SkuID               string    `json:"skuId,omitempty"`
	State               string    `json:"state,omitempty"` // Active, ActiveWithError, Disabled, Error
}

// OnPremisesExtensionAttributes are the fifteen extension attributes of
// a user (Exchange's custom attributes 1 to 15), synchronised from the
// on-premises directory or, for cloud users, set in the cloud.
type OnPremisesExtensionAttributes struct {
	ExtensionAttribute1  string `json:"extensionAttribute1,omitempty"`
	ExtensionAttribute2  string `json:"extensionAttribute2,omitempty"`
	ExtensionAttribute3  string `json:"extensionAttribute3,omitempty"`
	ExtensionAttribute4  string `json:"extensionAttribute4,omitempty"`
	ExtensionAttribute5  string `json:"extensionAttribute5,omitempty"`
	ExtensionAttribute6  string `json:"extensionAttribute6,omitempty"`
	ExtensionAttribute7  string `json:"extensionAttribute7,omitempty"`
	ExtensionAttribute8  string `json:"extensionAttribute8,omitempty"`
	ExtensionAttribute9  string `json:"extensionAttribute9,omitempty"`
	ExtensionAttribute10 string `json:"extensionAttribute10,omitempty"`
	ExtensionAttribute11 string `json:"extensionAttribute11,omitempty"`
	ExtensionAttribute12 string `json:"extensionAttribute12,omitempty"`
	ExtensionAttribute13 string `json:"extensionAttribute13,omitempty"`
	ExtensionAttribute14 string `json:"extensionAttribute14,omitempty"`
	ExtensionAttribute15 string `json:"extensionAttribute15,omitempty"`
}

// OnPremisesProvisioningError is an error synchronising a user from the
// on-premises directory, such as a duplicate proxy address.
type OnPremisesProvisioningError struct {
	Category             string    `json:"category,omitempty"`
	OccurredDateTime     time.Time `json:"occurredDateTime,omitzero"`
	PropertyCausingError string    `json:"propertyCausingError,omitempty"`
	Value                string    `json:"value,omitempty"`
}

// Property names of User for $select, grouped by what a directory client
// reads them for. Graph answers the default set without $select and the
// others only when selected, so reading, say, departments is one
// option: contacts.WithUserProperties(api.UserJobProperties...) or
// query.New().Select(api.UserJobProperties...). The slices are shared:
// append to a copy (slices.Concat) rather than to them.
var (
	// UserDefaultProperties are the eleven properties Graph returns
	// when a request has no $select.
	UserDefaultProperties = []string{
		"businessPhones", "displayName", "givenName", "id", "jobTitle", "mail",
		"mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
	}
	// UserIdentityProperties name a user and the addresses that reach them.
	UserIdentityProperties = []string{
		"id", "userPrincipalName", "mail", "mailNickname", "otherMails", "proxyAddresses",
		"imAddresses", "identities", "securityIdentifier", "displayName", "givenName", "surname",
	}
	// UserJobProperties place a user in the organisation.
	UserJobProperties = []string{
		"jobTitle", "department", "companyName", "officeLocation", "employeeId", "employeeType",
		"employeeHireDate", "employeeLeaveDateTime", "employeeOrgData",
	}
	// UserContactProperties are a user's phones and postal address.
	UserContactProperties = []string{
		"businessPhones", "mobilePhone", "faxNumber", "streetAddress", "city", "state",
		"postalCode", "country", "usageLocation",
	}
	// UserAccountProperties describe the account: whether it can sign
	// in, how it was made, its dates, age group and preferences.
	UserAccountProperties = []string{
		"accountEnabled", "userType", "creationType", "externalUserState",
		"externalUserStateChangeDateTime", "passwordPolicies", "showInAddressList",
		"createdDateTime", "deletedDateTime", "lastPasswordChangeDateTime",
		"signInSessionsValidFromDateTime", "ageGroup", "consentProvidedForMinor",
		"legalAgeGroupClassification", "preferredLanguage", "preferredDataLocation",
	}
	// UserLicenseProperties are a user's licences and service plans.
	UserLicenseProperties = []string{
		"assignedLicenses", "assignedPlans", "provisionedPlans", "licenseAssignmentStates",
	}
	// UserOnPremisesProperties come from on-premises synchronisation.
	UserOnPremisesProperties = []string{
		"onPremisesSyncEnabled", "onPremisesImmutableId", "onPremisesSamAccountName",
		"onPremisesUserPrincipalName", "onPremisesDomainName", "onPremisesDistinguishedName",
		"onPremisesSecurityIdentifier", "onPremisesLastSyncDateTime",
		"onPremisesExtensionAttributes", "onPremisesProvisioningErrors",
	}
	// UserAllProperties are every property User models, each once: the
	// named sets above together.
	UserAllProperties = joinProperties(UserIdentityProperties, UserJobProperties,
		UserContactProperties, UserAccountProperties, UserLicenseProperties, UserOnPremisesProperties)
)

// joinProperties concatenates property lists, keeping the first of each
// name.
func joinProperties(lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lists {
		for _, p := range l {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// DirectoryObject is an entry of the directory as Graph's
// directoryObject navigations (memberOf, transitiveMemberOf, members,
// owners) answer it: a group, a user, a directory role, an
// administrative unit, … ODataType says which. Only the properties these
// share are modelled; read a group in full through its own API.
type DirectoryObject struct {
	ODataType         string   `json:"@odata.type,omitempty"` // e.g. "#microsoft.graph.group"
	ID                string   `json:"id"`
	DisplayName       string   `json:"displayName,omitempty"`
	Description       string   `json:"description,omitempty"`
	Mail              string   `json:"mail,omitempty"`
	MailNickname      string   `json:"mailNickname,omitempty"`
	MailEnabled       bool     `json:"mailEnabled,omitempty"`
	SecurityEnabled   bool     `json:"securityEnabled,omitempty"`
	GroupTypes        []string `json:"groupTypes,omitempty"` // "Unified" for a Microsoft 365 group
	UserPrincipalName string   `json:"userPrincipalName,omitempty"`
}

// Type is the kind of directory object without its namespace: "group",
// "user", "directoryRole", "administrativeUnit", …
func (o *DirectoryObject) Type() string {
	return strings.TrimPrefix(strings.TrimPrefix(o.ODataType, "#"), "microsoft.graph.")
}
