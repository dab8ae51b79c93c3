package compat_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/confidential"
	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/public"
	"github.com/go-o365/o365/graphtest"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// bearer is an access-token provider for msgraph-sdk-go that sends one
// token to Graph's host and to no other (upload and download URLs are
// pre-authenticated and refuse tokens).
type bearer string

func (b bearer) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]any) (string, error) {
	if u.Hostname() != "graph.microsoft.com" {
		return "", nil
	}
	return string(b), nil
}

func (bearer) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	v, _ := authentication.NewAllowedHostsValidatorErrorCheck([]string{"graph.microsoft.com"})
	return v
}

// Microsoft's Go SDK against graphtest: the production base URL and
// GetDefaultClient's middleware, with graphtest's transport underneath.
// A server started WithTLS answers for graph.microsoft.com through
// Server.Client, so nothing else changes.
func Example_msgraphSDK() {
	srv := graphtest.NewServer(graphtest.WithTLS())
	defer srv.Close()
	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance"})
	token, err := srv.UserToken("adele@contoso.com", "User.Read")
	if err != nil {
		panic(err)
	}

	opts := msgraphsdk.GetDefaultClientOptions()
	httpClient := msgraphgocore.GetDefaultClient(&opts)
	httpClient.Transport = khttp.NewCustomTransportWithParentTransport(srv.Client().Transport,
		msgraphgocore.GetDefaultMiddlewaresWithOptions(&opts)...)
	adapter, err := msgraphsdk.NewGraphRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		authentication.NewBaseBearerTokenAuthenticationProvider(bearer(token)), nil, nil, httpClient)
	if err != nil {
		panic(err)
	}
	client := msgraphsdk.NewGraphServiceClient(adapter)

	me, err := client.Me().Get(context.Background(), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(*me.GetDisplayName())
	// Output: Adele Vance
}

// MSAL Go against graphtest's identity platform: the production authority
// https://login.microsoftonline.com/{tenant} and Server.Client as MSAL's
// HTTP client. The token MSAL gets is one graphtest's Graph accepts.
func Example_msal() {
	srv := graphtest.NewServer(graphtest.WithTLS())
	defer srv.Close()
	srv.AddApp(graphtest.App{ClientID: "my-daemon", ClientSecret: "s3cret"})
	ctx := context.Background()

	cred, err := confidential.NewCredFromSecret("s3cret")
	if err != nil {
		panic(err)
	}
	app, err := confidential.New("https://login.microsoftonline.com/"+srv.TenantID(), "my-daemon", cred,
		confidential.WithHTTPClient(srv.Client()))
	if err != nil {
		panic(err)
	}
	res, err := app.AcquireTokenByCredential(ctx, []string{"https://graph.microsoft.com/.default"})
	if err != nil {
		panic(err)
	}
	req, err := http.NewRequest("GET", "https://graph.microsoft.com/v1.0/users", nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+res.AccessToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)
	// Output: 200 OK
}

// A public client signs a user in with the device code flow; graphtest
// approves the code as the signed-in user on MSAL's first poll.
func Example_msalDeviceCode() {
	srv := graphtest.NewServer(graphtest.WithTLS())
	defer srv.Close()
	srv.AddApp(graphtest.App{ClientID: "my-cli", Public: true})
	srv.AddUser(graphtest.User{UserPrincipalName: "adele@contoso.com", DisplayName: "Adele Vance"})
	srv.SignIn("adele@contoso.com")
	ctx := context.Background()

	app, err := public.New("my-cli", public.WithAuthority("https://login.microsoftonline.com/organizations"),
		public.WithHTTPClient(srv.Client()))
	if err != nil {
		panic(err)
	}
	dc, err := app.AcquireTokenByDeviceCode(ctx, []string{"User.Read"})
	if err != nil {
		panic(err)
	}
	res, err := dc.AuthenticationResult(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Account.PreferredUsername)
	// Output: adele@contoso.com
}
