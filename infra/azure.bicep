// The cloud deployment of Attendance: several instances of the Node server on App Service, one Azure Table for the
// ledger, and a user-assigned managed identity that is both the bot's identity and the app's key to the table,
// so no secret is stored anywhere. teamsapp.yml deploys this file; its outputs are written to env/.env.<env>.

@maxLength(20)
@minLength(4)
@description('Prefix of every resource name: lowercase letters and digits only, because the storage account name is derived from it.')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

@description('Client id of the Entra app that Teams SSO and report API callers get tokens for (aadApp/create).')
param aadAppClientId string

@description('B1 or higher: Free and Shared plans have no Always On, no health check and a single instance.')
param webAppSku string = 'B1'

@minValue(1)
@description('Instances behind the App Service load balancer; all share the table, so any of them can answer any request.')
param instanceCount int = 2

@description('Table that holds the attendance ledger (ATTENDANCE_TABLE).')
param attendanceTableName string = 'attendance'

param location string = resourceGroup().location

var storageAccountName = '${resourceBaseName}st'
// Built-in role "Storage Table Data Contributor": read and write entities and tables, nothing else.
var tableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Entra ID only: with account keys off, the managed identity's role below is the only way in.
    allowSharedKeyAccess: false
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource attendanceTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: attendanceTableName
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, tableDataContributorRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // required for a Linux plan
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    // Every instance reads the same table, so requests need not stick to one instance.
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // `npm start` without its prestart step (which compiles TypeScript; the deployed package is already built).
      // A 1 MB young generation keeps the server's memory low at no measured cost in speed (docs/benchmarks.md).
      appCommandLine: 'node --max-semi-space-size=4 --heap-growing-percent=20 bot/dist/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      http20Enabled: true
    }
  }
}

// App settings as their own resource, because AAD_APP_ID_URI needs the web app's host name.
resource webAppSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    // The deploy step uploads built output with production dependencies; App Service runs it as is.
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
    BOT_ID: identity.properties.clientId
    BOT_TYPE: 'UserAssignedMsi'
    BOT_TENANT_ID: identity.properties.tenantId
    // Picks this identity for DefaultAzureCredential (the table store).
    AZURE_CLIENT_ID: identity.properties.clientId
    ATTENDANCE_STORE: 'azure-tables:https://${storage.name}.table.${environment().suffixes.storage}'
    ATTENDANCE_TABLE: attendanceTable.name
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_ID_URI: 'api://${webApp.properties.defaultHostName}/${aadAppClientId}'
  }
  // Settings restart the app: by then the identity should hold its table role (Azure may take minutes to apply it,
  // during which /healthz answers 503).
  dependsOn: [
    tableDataContributor
  ]
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botDisplayName: botDisplayName
    identityResourceId: identity.id
    identityClientId: identity.properties.clientId
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
  }
}

// Written to env/.env.<env> by arm/deploy; see teamsapp.yml for who reads each one.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = identity.properties.clientId
