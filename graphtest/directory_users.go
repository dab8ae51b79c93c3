package graphtest

// Users as a directory client reads them: every structural property of
// User, answered on $select (names matched without regard to case, unset
// ones as null), the default set without it, and the limit a delegated
// caller with only User.ReadBasic.All meets on other users' profiles.

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/go-o365/o365/graphtest/internal/odata"
)

// UserIdentity is one way of signing in to a user account (Graph's
// objectIdentity).
type UserIdentity struct {
	SignInType       string // userPrincipalName, emailAddress, userName, federated
	Issuer           string
	IssuerAssignedID string
}

// UserOrgData is the division and cost centre of a user (Graph's
// employeeOrgData).
type UserOrgData struct {
	Division   string
	CostCenter string
}

// UserLicense is a licence assigned to a user (Graph's assignedLicense).
type UserLicense struct {
	SkuID         string
	DisabledPlans []string
}

// UserAssignedPlan is a service plan assigned to a user (Graph's
// assignedPlan).
type UserAssignedPlan struct {
	AssignedDateTime time.Time
	CapabilityStatus string
	Service          string
	ServicePlanID    string
}

// UserProvisionedPlan is a service plan as provisioned for a user
// (Graph's provisionedPlan).
type UserProvisionedPlan struct {
	CapabilityStatus   string
	ProvisioningStatus string
	Service            string
}

// UserLicenseState says how a licence reached a user (Graph's
// licenseAssignmentState).
type UserLicenseState struct {
	AssignedByGroup     string
	DisabledPlans       []string
	Error               string
	LastUpdatedDateTime time.Time
	SkuID               string
	State               string
}

// UserExtensionAttributes are a user's fifteen on-premises extension
// attributes: Attributes[0] is extensionAttribute1.
type UserExtensionAttributes struct {
	Attributes [15]string
}

// UserProvisioningError is an error synchronising a user from the
// on-premises directory (Graph's onPremisesProvisioningError).
type UserProvisioningError struct {
	Category             string
	OccurredDateTime     time.Time
	PropertyCausingError string
	Value                string
}

// userDefaultProperties are the properties Graph answers for a user when
// the request has no $select.
var userDefaultProperties = []string{
	"businessPhones", "displayName", "givenName", "id", "jobTitle", "mail",
	"mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
}

// fullProfileScopes open every property of other users to a delegated
// caller. With User.ReadBasic.All alone, Graph's permissions reference
// limits other users to the basic profile: displayName, givenName, mail,
// photo, surname and userPrincipalName.
var fullProfileScopes = []string{
	"User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
	"Directory.ReadWrite.All", "Directory.AccessAsUser.All",
}

// directoryUsers is how /users and a user's direct reports page: as
// usersCollection, showing the default properties unless $select names
// others, and then only those (no id unless named).
var directoryUsers = func() collection {
	c := usersCollection
	c.defaults = userDefaultProperties
	c.exactSelect = true
	return c
}()

// cloneProperties gives u copies of its slices and pointers, so the
// server's copy does not share memory with the caller's.
func (u *User) cloneProperties() {
	u.OtherMails = slices.Clone(u.OtherMails)
	u.ProxyAddresses = slices.Clone(u.ProxyAddresses)
	u.ImAddresses = slices.Clone(u.ImAddresses)
	u.Identities = slices.Clone(u.Identities)
	u.AssignedLicenses = slices.Clone(u.AssignedLicenses)
	for i := range u.AssignedLicenses {
		u.AssignedLicenses[i].DisabledPlans = slices.Clone(u.AssignedLicenses[i].DisabledPlans)
	}
	u.AssignedPlans = slices.Clone(u.AssignedPlans)
	u.ProvisionedPlans = slices.Clone(u.ProvisionedPlans)
	u.LicenseAssignmentStates = slices.Clone(u.LicenseAssignmentStates)
	for i := range u.LicenseAssignmentStates {
		u.LicenseAssignmentStates[i].DisabledPlans = slices.Clone(u.LicenseAssignmentStates[i].DisabledPlans)
	}
	u.OnPremisesProvisioningErrors = slices.Clone(u.OnPremisesProvisioningErrors)
	u.AccountEnabled = clonePtr(u.AccountEnabled)
	u.ShowInAddressList = clonePtr(u.ShowInAddressList)
	u.OnPremisesSyncEnabled = clonePtr(u.OnPremisesSyncEnabled)
	u.EmployeeOrgData = clonePtr(u.EmployeeOrgData)
	u.OnPremisesExtensionAttributes = clonePtr(u.OnPremisesExtensionAttributes)
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// userJSON is every modelled property of a user, shaped as decoded JSON
// (strings, bools, []any, map[string]any, nil) so the OData engine sees
// what a client would: unset properties are null, collections that Graph
// declares not nullable (businessPhones, otherMails, proxyAddresses,
// imAddresses, assignedLicenses, assignedPlans, provisionedPlans) are
// empty arrays, and times are UTC RFC 3339.
func userJSON(u *User) map[string]any {
	identities := make([]any, 0, len(u.Identities))
	for _, id := range u.Identities {
		identities = append(identities, map[string]any{
			"signInType": nullable(id.SignInType), "issuer": nullable(id.Issuer),
			"issuerAssignedId": nullable(id.IssuerAssignedID),
		})
	}
	licenses := make([]any, 0, len(u.AssignedLicenses))
	for _, l := range u.AssignedLicenses {
		licenses = append(licenses, map[string]any{"skuId": nullable(l.SkuID), "disabledPlans": stringList(l.DisabledPlans)})
	}
	plans := make([]any, 0, len(u.AssignedPlans))
	for _, p := range u.AssignedPlans {
		plans = append(plans, map[string]any{
			"assignedDateTime": nullableTime(p.AssignedDateTime), "capabilityStatus": nullable(p.CapabilityStatus),
			"service": nullable(p.Service), "servicePlanId": nullable(p.ServicePlanID),
		})
	}
	provisioned := make([]any, 0, len(u.ProvisionedPlans))
	for _, p := range u.ProvisionedPlans {
		provisioned = append(provisioned, map[string]any{
			"capabilityStatus": nullable(p.CapabilityStatus), "provisioningStatus": nullable(p.ProvisioningStatus),
			"service": nullable(p.Service),
		})
	}
	states := make([]any, 0, len(u.LicenseAssignmentStates))
	for _, st := range u.LicenseAssignmentStates {
		states = append(states, map[string]any{
			"assignedByGroup": nullable(st.AssignedByGroup), "disabledPlans": stringList(st.DisabledPlans),
			"error": nullable(st.Error), "lastUpdatedDateTime": nullableTime(st.LastUpdatedDateTime),
			"skuId": nullable(st.SkuID), "state": nullable(st.State),
		})
	}
	errs := make([]any, 0, len(u.OnPremisesProvisioningErrors))
	for _, e := range u.OnPremisesProvisioningErrors {
		errs = append(errs, map[string]any{
			"category": nullable(e.Category), "occurredDateTime": nullableTime(e.OccurredDateTime),
			"propertyCausingError": nullable(e.PropertyCausingError), "value": nullable(e.Value),
		})
	}
	var orgData any
	if d := u.EmployeeOrgData; d != nil {
		orgData = map[string]any{"division": nullable(d.Division), "costCenter": nullable(d.CostCenter)}
	}
	var extensions any
	if x := u.OnPremisesExtensionAttributes; x != nil {
		m := make(map[string]any, len(x.Attributes))
		for i, a := range x.Attributes {
			m["extensionAttribute"+strconv.Itoa(i+1)] = nullable(a)
		}
		extensions = m
	}
	m := userDefaultJSON(u)
	maps.Copy(m, map[string]any{
		"mailNickname":                    nullable(u.MailNickname),
		"otherMails":                      stringList(u.OtherMails),
		"proxyAddresses":                  stringList(u.ProxyAddresses),
		"imAddresses":                     stringList(u.ImAddresses),
		"identities":                      identities,
		"securityIdentifier":              nullable(u.SecurityIdentifier),
		"department":                      nullable(u.Department),
		"companyName":                     nullable(u.CompanyName),
		"employeeId":                      nullable(u.EmployeeID),
		"employeeType":                    nullable(u.EmployeeType),
		"employeeHireDate":                nullableTime(u.EmployeeHireDate),
		"employeeLeaveDateTime":           nullableTime(u.EmployeeLeaveDateTime),
		"employeeOrgData":                 orgData,
		"faxNumber":                       nullable(u.FaxNumber),
		"streetAddress":                   nullable(u.StreetAddress),
		"city":                            nullable(u.City),
		"state":                           nullable(u.State),
		"postalCode":                      nullable(u.PostalCode),
		"country":                         nullable(u.Country),
		"usageLocation":                   nullable(u.UsageLocation),
		"accountEnabled":                  nullableBool(u.AccountEnabled),
		"userType":                        nullable(u.UserType),
		"creationType":                    nullable(u.CreationType),
		"externalUserState":               nullable(u.ExternalUserState),
		"externalUserStateChangeDateTime": nullable(u.ExternalUserStateChangeDateTime),
		"passwordPolicies":                nullable(u.PasswordPolicies),
		"showInAddressList":               nullableBool(u.ShowInAddressList),
		"createdDateTime":                 nullableTime(u.CreatedDateTime),
		"deletedDateTime":                 nullableTime(u.DeletedDateTime),
		"lastPasswordChangeDateTime":      nullableTime(u.LastPasswordChangeDateTime),
		"signInSessionsValidFromDateTime": nullableTime(u.SignInSessionsValidFromDateTime),
		"ageGroup":                        nullable(u.AgeGroup),
		"consentProvidedForMinor":         nullable(u.ConsentProvidedForMinor),
		"legalAgeGroupClassification":     nullable(u.LegalAgeGroupClassification),
		"preferredDataLocation":           nullable(u.PreferredDataLocation),
		"assignedLicenses":                licenses,
		"assignedPlans":                   plans,
		"provisionedPlans":                provisioned,
		"licenseAssignmentStates":         states,
		"onPremisesSyncEnabled":           nullableBool(u.OnPremisesSyncEnabled),
		"onPremisesImmutableId":           nullable(u.OnPremisesImmutableID),
		"onPremisesSamAccountName":        nullable(u.OnPremisesSamAccountName),
		"onPremisesUserPrincipalName":     nullable(u.OnPremisesUserPrincipalName),
		"onPremisesDomainName":            nullable(u.OnPremisesDomainName),
		"onPremisesDistinguishedName":     nullable(u.OnPremisesDistinguishedName),
		"onPremisesSecurityIdentifier":    nullable(u.OnPremisesSecurityIdentifier),
		"onPremisesLastSyncDateTime":      nullableTime(u.OnPremisesLastSyncDateTime),
		"onPremisesExtensionAttributes":   extensions,
		"onPremisesProvisioningErrors":    errs,
	})
	return m
}

// userDefaultJSON is the default property set of a user, as userJSON
// shapes it.
func userDefaultJSON(u *User) map[string]any {
	return map[string]any{
		"id":                u.ID,
		"businessPhones":    stringList(u.BusinessPhones),
		"displayName":       nullable(u.DisplayName),
		"givenName":         nullable(u.GivenName),
		"jobTitle":          nullable(u.JobTitle),
		"mail":              nullable(u.Mail),
		"mobilePhone":       nullable(u.MobilePhone),
		"officeLocation":    nullable(u.OfficeLocation),
		"preferredLanguage": nullable(u.PreferredLanguage),
		"surname":           nullable(u.Surname),
		"userPrincipalName": u.UserPrincipalName,
	}
}

// queriesProperties reports whether a request's query reads properties
// at all ($filter, $search, $orderby, $select): without one, a list
// answers the default set, and building every property of a large
// directory on each page would be wasted.
func queriesProperties(q url.Values) bool {
	return q.Has("$filter") || q.Has("$search") || q.Has("$orderby") || q.Has("$select")
}

// userJSONFor is userJSON as the caller may see it: a delegated caller
// without a full-profile scope (fullProfileScopes) reading another user
// sees the default properties and null for every other one. The basic
// profile Graph documents is narrower still (no phones, job title or
// office), but clients everywhere read those from the default set with
// User.ReadBasic.All, and the emulator keeps answering them.
func userJSONFor(c caller, u *User) map[string]any {
	m := userJSON(u)
	if c.appOnly() || u.ID == c.userID || hasScope(c, fullProfileScopes...) {
		return m
	}
	for k := range m {
		if !slices.Contains(userDefaultProperties, k) {
			m[k] = nil
		}
	}
	return m
}

func stringList(ss []string) []any {
	out := make([]any, 0, len(ss))
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}

func nullableTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func nullableBool(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}

// serveDirectoryUser answers one user as Graph's /users/{id}, /me and
// /users/{id}/manager do: the default properties, or exactly those
// $select names (no id unless named), with extra members added.
func (s *Server) serveDirectoryUser(w http.ResponseWriter, r *http.Request, u *User, entitySet string, extra map[string]any) {
	item := userJSONFor(callerOf(r), u)
	for k, v := range extra {
		item[k] = v
	}
	_, fields, err := odata.Apply([]map[string]any{item}, url.Values{"$select": r.URL.Query()["$select"]})
	if err != nil {
		writeGraphError(w, http.StatusBadRequest, "BadRequest", err.Error())
		return
	}
	shown := fields
	if shown == nil {
		shown = userDefaultProperties
	}
	out := maps.Clone(odata.ProjectFields(item, shown, false))
	out["@odata.context"] = s.metadataURL(entitySet, fields) + "/$entity"
	writeGraphJSON(w, http.StatusOK, out)
}
