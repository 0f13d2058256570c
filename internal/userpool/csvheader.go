package userpool

import (
	"context"
	"strings"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// The header of Cognito's user-import CSV file (developer guide:
// cognito-user-pools-using-import-tool, "Creating the user import CSV file"; API reference:
// API_GetCSVHeader.html). Cognito runs such a file as an import job; Gatehouse imports it
// from the command line (`gatehouse users import --csv`, package userpool/userexport).

// registerExport adds the operations of this file's flow to api.
func (s *Service) registerExport(api *awsapi.Service) {
	api.Register("GetCSVHeader", awsapi.Op(s.GetCSVHeader))
}

// csvStandardColumns are the header's standard attributes in the order GetCSVHeader lists
// them (the sample response of the developer guide; the pool's custom attributes follow
// updated_at, as a captured get-csv-header output shows).
var csvStandardColumns = []string{
	"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
	"profile", "picture", "website", "email", "email_verified", "gender", "birthdate",
	"zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
}

// The two columns of the header that are not attributes.
const (
	CSVUsername   = "cognito:username"
	CSVMFAEnabled = "cognito:mfa_enabled"
)

// csvHeader is the pool's CSV header: the standard attributes, its custom attributes, then
// cognito:mfa_enabled and cognito:username.
func (p *pool) csvHeader() []string {
	h := append([]string(nil), csvStandardColumns...)
	for _, a := range p.attributeSchema() {
		name := strings.TrimPrefix(a.Name, "dev:")
		if strings.HasPrefix(name, "custom:") {
			h = append(h, name)
		}
	}
	return append(h, CSVMFAEnabled, CSVUsername)
}

// GetCSVHeader returns the header of a user-import CSV file for the pool (API reference:
// API_GetCSVHeader.html).
func (s *Service) GetCSVHeader(ctx context.Context, in *GetCSVHeaderRequest) (*GetCSVHeaderResponse, error) {
	p, err := s.loadPool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return &GetCSVHeaderResponse{UserPoolId: p.rec.ID, CSVHeader: p.csvHeader()}, nil
}
