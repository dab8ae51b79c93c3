package o365test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
)

// FullDirectory is Directory with every structural property of each user
// set too (identities, organisation, address, account state, dates,
// licences, on-premises synchronisation), for tests that every modelled
// property travels and for benchmarks of whole directory records. Times
// are whole seconds in UTC, as Graph writes them.
func FullDirectory(n int, upn func(i int, given, surname string) string) []graphtest.User {
	users := Directory(n, upn)
	departments := []string{"Retail", "Marketing", "Security", "Product", "Engineering", "Human Resources", "Operations", "Legal", "Sales", "R&D"}
	cities := [][4]string{{"Redmond", "WA", "98052", "US"}, {"London", "England", "EC1A 1BB", "GB"}, {"München", "BY", "80331", "DE"}, {"Paris", "Île-de-France", "75001", "FR"}, {"Tokyo", "Tokyo", "100-0001", "JP"}}
	skus := []string{"c7df2760-2c81-4ef7-b578-5b5392b571df", "6fd2c87f-b296-42f0-b197-1e91e994b900", "18181a46-0d4e-45cd-891e-60aabd171b4e"}
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2019, 3, 4, 9, 15, 0, 0, time.UTC)
	at := func(days int) time.Time {
		return base.Add(time.Duration(days)*24*time.Hour + time.Duration(rng.IntN(86400))*time.Second)
	}
	yes, no := true, false
	for i := range users {
		u := &users[i]
		alias, domain, _ := strings.Cut(u.UserPrincipalName, "@")
		city := cities[rng.IntN(len(cities))]
		sku := skus[rng.IntN(len(skus))]
		u.MailNickname = alias
		u.OtherMails = []string{alias + "@fabrikam.example"}
		u.ProxyAddresses = []string{"SMTP:" + u.Mail, "smtp:" + alias + "@contoso.mail.onmicrosoft.com"}
		u.ImAddresses = []string{"sip:" + u.Mail}
		u.Identities = []graphtest.UserIdentity{{SignInType: "userPrincipalName", Issuer: domain, IssuerAssignedID: u.UserPrincipalName}}
		u.SecurityIdentifier = fmt.Sprintf("S-1-12-1-%d-%d-%d-%d", rng.Uint32(), rng.Uint32(), rng.Uint32(), rng.Uint32())
		u.Department = departments[rng.IntN(len(departments))]
		u.CompanyName = "Contoso"
		u.EmployeeID = fmt.Sprintf("E%06d", i)
		u.EmployeeType = []string{"Employee", "Contractor", "Consultant", "Vendor"}[rng.IntN(4)]
		u.EmployeeHireDate = at(rng.IntN(900)).Truncate(24 * time.Hour)
		u.EmployeeLeaveDateTime = at(1500 + rng.IntN(300))
		u.EmployeeOrgData = &graphtest.UserOrgData{Division: "Division " + string(rune('A'+rng.IntN(4))), CostCenter: fmt.Sprintf("CC-%04d", rng.IntN(10000))}
		u.FaxNumber = fmt.Sprintf("+1 425 555 %04d", rng.IntN(10000))
		u.StreetAddress = fmt.Sprintf("%d Microsoft Way", 1+rng.IntN(999))
		u.City, u.State, u.PostalCode, u.Country = city[0], city[1], city[2], city[3]
		u.UsageLocation = city[3]
		u.AccountEnabled = &yes
		u.UserType = "Member"
		u.CreationType = "Invitation"
		u.ExternalUserState = "Accepted"
		u.ExternalUserStateChangeDateTime = at(rng.IntN(100)).Format(time.RFC3339)
		u.PasswordPolicies = "DisablePasswordExpiration"
		u.ShowInAddressList = &yes
		u.CreatedDateTime = at(rng.IntN(100))
		u.DeletedDateTime = at(1000 + rng.IntN(100))
		u.LastPasswordChangeDateTime = at(200 + rng.IntN(100))
		u.SignInSessionsValidFromDateTime = at(200 + rng.IntN(100))
		u.AgeGroup = "Adult"
		u.ConsentProvidedForMinor = "NotRequired"
		u.LegalAgeGroupClassification = "Adult"
		u.PreferredDataLocation = "EUR"
		u.AssignedLicenses = []graphtest.UserLicense{{SkuID: sku, DisabledPlans: []string{"a82fbf69-b4d7-49f4-83a6-915b2cf354f4"}}}
		u.AssignedPlans = []graphtest.UserAssignedPlan{
			{AssignedDateTime: at(rng.IntN(100)), CapabilityStatus: "Enabled", Service: "exchange", ServicePlanID: "efb87545-963c-4e0d-99df-69c6916d9eb0"},
			{AssignedDateTime: at(rng.IntN(100)), CapabilityStatus: "Enabled", Service: "SharePoint", ServicePlanID: "5dbe027f-2339-4123-9542-606e4d348a72"},
		}
		u.ProvisionedPlans = []graphtest.UserProvisionedPlan{{CapabilityStatus: "Enabled", ProvisioningStatus: "Success", Service: "exchange"}}
		u.LicenseAssignmentStates = []graphtest.UserLicenseState{{AssignedByGroup: "4d5e6f70-8a9b-4c0d-9e1f-2a3b4c5d6e7f", Error: "None", SkuID: sku, DisabledPlans: []string{"a82fbf69-b4d7-49f4-83a6-915b2cf354f4"}, LastUpdatedDateTime: at(rng.IntN(100)), State: "Active"}}
		u.OnPremisesSyncEnabled = &no
		u.OnPremisesImmutableID = fmt.Sprintf("%016x==", rng.Uint64())
		u.OnPremisesSamAccountName = alias
		u.OnPremisesUserPrincipalName = alias + "@corp.contoso.com"
		u.OnPremisesDomainName = "corp.contoso.com"
		u.OnPremisesDistinguishedName = "CN=" + u.DisplayName + ",OU=Users,DC=corp,DC=contoso,DC=com"
		u.OnPremisesSecurityIdentifier = fmt.Sprintf("S-1-5-21-%d-%d-%d-%d", rng.Uint32(), rng.Uint32(), rng.Uint32(), 1000+i)
		u.OnPremisesLastSyncDateTime = at(300 + rng.IntN(100))
		var ext graphtest.UserExtensionAttributes
		for j := range ext.Attributes {
			ext.Attributes[j] = fmt.Sprintf("attr%d-%d", j+1, rng.IntN(1000))
		}
		u.OnPremisesExtensionAttributes = &ext
		u.OnPremisesProvisioningErrors = []graphtest.UserProvisioningError{{Category: "PropertyConflict", OccurredDateTime: at(400), PropertyCausingError: "ProxyAddresses", Value: "smtp:" + alias + "@contoso.com"}}
	}
	return users
}

// APIUser is the api.User a client reads for u when it selects every
// property (api.UserAllProperties): the emulator's record in the
// library's types, for comparing what travelled with what was stored.
func APIUser(u graphtest.User) api.User {
	out := api.User{
		ID: u.ID, UserPrincipalName: u.UserPrincipalName, Mail: u.Mail, MailNickname: u.MailNickname,
		OtherMails: u.OtherMails, ProxyAddresses: u.ProxyAddresses, ImAddresses: u.ImAddresses,
		SecurityIdentifier: u.SecurityIdentifier,
		DisplayName:        u.DisplayName, GivenName: u.GivenName, Surname: u.Surname,
		JobTitle: u.JobTitle, Department: u.Department, CompanyName: u.CompanyName, OfficeLocation: u.OfficeLocation,
		EmployeeID: u.EmployeeID, EmployeeType: u.EmployeeType, EmployeeHireDate: u.EmployeeHireDate,
		EmployeeLeaveDateTime: u.EmployeeLeaveDateTime,
		BusinessPhones:        u.BusinessPhones, MobilePhone: u.MobilePhone, FaxNumber: u.FaxNumber,
		StreetAddress: u.StreetAddress, City: u.City, State: u.State, PostalCode: u.PostalCode, Country: u.Country,
		UsageLocation: u.UsageLocation, AccountEnabled: u.AccountEnabled, UserType: u.UserType,
		CreationType: u.CreationType, ExternalUserState: u.ExternalUserState,
		ExternalUserStateChangeDateTime: u.ExternalUserStateChangeDateTime, PasswordPolicies: u.PasswordPolicies,
		ShowInAddressList: u.ShowInAddressList, CreatedDateTime: u.CreatedDateTime, DeletedDateTime: u.DeletedDateTime,
		LastPasswordChangeDateTime: u.LastPasswordChangeDateTime, SignInSessionsValidFromDateTime: u.SignInSessionsValidFromDateTime,
		AgeGroup: u.AgeGroup, ConsentProvidedForMinor: u.ConsentProvidedForMinor,
		LegalAgeGroupClassification: u.LegalAgeGroupClassification,
		PreferredLanguage:           u.PreferredLanguage, PreferredDataLocation: u.PreferredDataLocation,
		OnPremisesSyncEnabled: u.OnPremisesSyncEnabled, OnPremisesImmutableID: u.OnPremisesImmutableID,
		OnPremisesSamAccountName: u.OnPremisesSamAccountName, OnPremisesUserPrincipalName: u.OnPremisesUserPrincipalName,
		OnPremisesDomainName: u.OnPremisesDomainName, OnPremisesDistinguishedName: u.OnPremisesDistinguishedName,
		OnPremisesSecurityIdentifier: u.OnPremisesSecurityIdentifier, OnPremisesLastSyncDateTime: u.OnPremisesLastSyncDateTime,
	}
	for _, id := range u.Identities {
		out.Identities = append(out.Identities, api.ObjectIdentity{SignInType: id.SignInType, Issuer: id.Issuer, IssuerAssignedID: id.IssuerAssignedID})
	}
	if d := u.EmployeeOrgData; d != nil {
		out.EmployeeOrgData = &api.EmployeeOrgData{Division: d.Division, CostCenter: d.CostCenter}
	}
	for _, l := range u.AssignedLicenses {
		out.AssignedLicenses = append(out.AssignedLicenses, api.AssignedLicense{SkuID: l.SkuID, DisabledPlans: l.DisabledPlans})
	}
	for _, p := range u.AssignedPlans {
		out.AssignedPlans = append(out.AssignedPlans, api.AssignedPlan{AssignedDateTime: p.AssignedDateTime,
			CapabilityStatus: p.CapabilityStatus, Service: p.Service, ServicePlanID: p.ServicePlanID})
	}
	for _, p := range u.ProvisionedPlans {
		out.ProvisionedPlans = append(out.ProvisionedPlans, api.ProvisionedPlan{CapabilityStatus: p.CapabilityStatus,
			ProvisioningStatus: p.ProvisioningStatus, Service: p.Service})
	}
	for _, s := range u.LicenseAssignmentStates {
		out.LicenseAssignmentStates = append(out.LicenseAssignmentStates, api.LicenseAssignmentState{
			AssignedByGroup: s.AssignedByGroup, DisabledPlans: s.DisabledPlans, Error: s.Error,
			LastUpdatedDateTime: s.LastUpdatedDateTime, SkuID: s.SkuID, State: s.State})
	}
	if x := u.OnPremisesExtensionAttributes; x != nil {
		a := x.Attributes
		out.OnPremisesExtensionAttributes = &api.OnPremisesExtensionAttributes{
			ExtensionAttribute1: a[0], ExtensionAttribute2: a[1], ExtensionAttribute3: a[2], ExtensionAttribute4: a[3],
			ExtensionAttribute5: a[4], ExtensionAttribute6: a[5], ExtensionAttribute7: a[6], ExtensionAttribute8: a[7],
			ExtensionAttribute9: a[8], ExtensionAttribute10: a[9], ExtensionAttribute11: a[10], ExtensionAttribute12: a[11],
			ExtensionAttribute13: a[12], ExtensionAttribute14: a[13], ExtensionAttribute15: a[14],
		}
	}
	for _, e := range u.OnPremisesProvisioningErrors {
		out.OnPremisesProvisioningErrors = append(out.OnPremisesProvisioningErrors, api.OnPremisesProvisioningError{
			Category: e.Category, OccurredDateTime: e.OccurredDateTime, PropertyCausingError: e.PropertyCausingError, Value: e.Value})
	}
	return out
}
