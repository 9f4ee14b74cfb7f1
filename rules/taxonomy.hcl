# stacklint's resource taxonomy: what each resource type is, for the structure and
# scaling rules (monolithic-stack, independent-clusters, mixed-scaling, mixed-lifecycle,
# replicated-singleton) and for `stacklint stacks`.
#
# Each `class` block maps resource types (globs: `*` any text, `?` one character,
# `{a,b}` alternatives) to
#   domain    network | compute | container | serverless | database | storage | cache |
#             messaging | dns | cdn | identity | security | observability | analytics | other
#   lifecycle persistent  holds data: databases, buckets, volumes, file systems, queues
#                         and streams with retention
#             foundation  slow or risky to rebuild, shared: networks, subnets, gateways,
#                         zones, public IPs, load balancers, clusters
#             ephemeral   instances, containers, functions, task definitions, templates
#             config      policies, rules, records, attachments, settings
#   scaling   elastic           autoscaling groups, services/deployments with replicas,
#                               autoscalers, scale sets, instance group managers,
#                               serverless functions and services
#             singleton-global  must exist once per organisation, account or region
#             none              (the default)
#   scope     for singleton-global only: global (once per organisation or DNS name),
#             account (once per account/subscription/project: the default) or region
#             (once per account and region)
#
# When several patterns match a type, the one with the most literal characters wins
# (ties: the first written). `fallback` blocks are consulted only when no class matches
# and classify unknown types by name fragments. `.stacklint.hcl` can add classes and
# fallbacks in a `taxonomy { }` block; those take precedence over this file.
#
# Beyond this table, stacklint refines a few classes from the resource's own code:
# - a resource whose `count`/`for_each` (or that of the module call it sits in) is
#   driven by a scale-knob variable (`scale_variables` below) is elastic, unless it is
#   a foundation, a singleton or mere configuration;
# - a DNS zone is singleton-global only when it is public (no `vpc` block, no private
#   visibility) and its name is a literal;
# - an `aws_cloudtrail` with `is_organization_trail = true` is singleton-global (global).

# Variable names that make a `count`/`for_each` a scale knob. Patterns match whole
# `_`-separated words: `*count*` matches `instance_count` but not `account_id`.
scale_variables = [
  "*count*", "*replicas*", "*capacity*", "min_size", "max_size", "desired_*",
  "*instances*", "*nodes*", "*workers*",
]

# ---------------------------------------------------------------------------------
# AWS
# ---------------------------------------------------------------------------------

class "aws-network-foundation" {
  domain    = "network"
  lifecycle = "foundation"
  types = [
    "aws_vpc", "aws_subnet", "aws_internet_gateway", "aws_egress_only_internet_gateway",
    "aws_nat_gateway", "aws_eip", "aws_route_table", "aws_vpn_gateway", "aws_customer_gateway",
    "aws_vpn_connection", "aws_dx_*", "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_route_table", "aws_ec2_transit_gateway_peering_attachment",
    "aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_connect*",
    "aws_ec2_transit_gateway_multicast_domain", "aws_vpc_peering_connection", "aws_vpc_endpoint",
    "aws_vpc_endpoint_service", "aws_vpc_ipam", "aws_vpc_ipam_pool", "aws_vpc_ipam_scope", "aws_lb",
    "aws_alb", "aws_elb", "aws_globalaccelerator_accelerator", "aws_networkfirewall_firewall",
    "aws_ec2_carrier_gateway", "aws_ec2_local_gateway*", "aws_networkmanager_global_network",
    "aws_networkmanager_core_network", "aws_vpclattice_service_network",
    "aws_ec2_client_vpn_endpoint",
  ]
}

class "aws-network-config" {
  domain    = "network"
  lifecycle = "config"
  types = [
    "aws_route", "aws_route_table_association", "aws_main_route_table_association",
    "aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_*", "aws_network_acl",
    "aws_network_acl_rule", "aws_network_acl_association", "aws_vpc_dhcp_options",
    "aws_vpc_dhcp_options_association", "aws_eip_association", "aws_ec2_transit_gateway_*",
    "aws_vpc_peering_connection_*", "aws_vpc_endpoint_*", "aws_vpc_ipam_*",
    "aws_vpc_ipv4_cidr_block_association", "aws_vpc_ipv6_cidr_block_association",
    "aws_ec2_subnet_cidr_reservation", "aws_ec2_managed_prefix_list*", "aws_lb_*", "aws_alb_*",
    "aws_elb_attachment", "aws_lb_cookie_stickiness_policy", "aws_app_cookie_stickiness_policy",
    "aws_load_balancer_*", "aws_proxy_protocol_policy", "aws_globalaccelerator_*",
    "aws_networkfirewall_*", "aws_vpn_connection_route", "aws_vpn_gateway_*",
    "aws_ec2_client_vpn_*", "aws_dx_gateway_association*", "aws_networkmanager_*",
    "aws_vpclattice_*", "aws_network_interface_sg_attachment",
    "aws_vpc_network_performance_metric_subscription", "aws_default_network_acl",
    "aws_default_security_group", "aws_default_route_table", "aws_appmesh_*",
  ]
}

class "aws-network-default-vpc" {
  # The default VPC and its parts exist once per account and region.
  domain    = "network"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "region"
  types     = ["aws_default_vpc", "aws_default_subnet", "aws_default_vpc_dhcp_options"]
}

class "aws-compute" {
  domain    = "compute"
  lifecycle = "ephemeral"
  types = [
    "aws_instance", "aws_spot_instance_request", "aws_launch_template", "aws_launch_configuration",
    "aws_network_interface", "aws_ec2_host", "aws_lightsail_instance",
    "aws_lightsail_container_service", "aws_imagebuilder_image", "aws_ami", "aws_ami_copy",
    "aws_ami_from_instance", "aws_batch_job_definition",
    "aws_elastic_beanstalk_application_version", "aws_gamelift_fleet", "aws_workspaces_workspace",
    "aws_cloud9_environment_ec2", "aws_opsworks_instance",
  ]
}

class "aws-compute-elastic" {
  domain    = "compute"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types = [
    "aws_autoscaling_group", "aws_ec2_fleet", "aws_spot_fleet_request",
    "aws_elastic_beanstalk_environment", "aws_batch_compute_environment", "aws_emr_instance_group",
  ]
}

class "aws-compute-scaling-config" {
  domain    = "compute"
  lifecycle = "config"
  scaling   = "elastic"
  types = [
    "aws_autoscaling_policy", "aws_autoscaling_schedule", "aws_autoscaling_lifecycle_hook",
    "aws_autoscaling_traffic_source_attachment", "aws_autoscalingplans_scaling_plan",
    "aws_appautoscaling_target", "aws_appautoscaling_policy", "aws_appautoscaling_scheduled_action",
  ]
}

class "aws-compute-config" {
  domain    = "compute"
  lifecycle = "config"
  types = [
    "aws_autoscaling_attachment", "aws_autoscaling_notification", "aws_autoscaling_group_tag",
    "aws_key_pair", "aws_placement_group", "aws_volume_attachment", "aws_ami_launch_permission",
    "aws_imagebuilder_*", "aws_ssm_document", "aws_ssm_association", "aws_ssm_maintenance_window*",
    "aws_ssm_patch_*", "aws_ssm_resource_data_sync", "aws_batch_job_queue",
    "aws_batch_scheduling_policy", "aws_elastic_beanstalk_application",
    "aws_elastic_beanstalk_configuration_template", "aws_ec2_instance_state", "aws_ec2_tag",
    "aws_ec2_capacity_reservation", "aws_ec2_availability_zone_group", "aws_lightsail_*",
    "aws_ssm_*", "aws_appstream_*", "aws_opsworks_*", "aws_cloud9_*", "aws_workspaces_*",
    "aws_gamelift_*",
  ]
}

class "aws-compute-account-settings" {
  domain    = "compute"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types = [
    "aws_ec2_serial_console_access", "aws_ec2_image_block_public_access",
    "aws_ec2_instance_metadata_defaults", "aws_ssm_default_patch_baseline",
    "aws_ssm_service_setting",
  ]
}

class "aws-container-foundation" {
  domain    = "container"
  lifecycle = "foundation"
  types     = ["aws_eks_cluster", "aws_apprunner_vpc_connector"]
}

class "aws-container-capacity" {
  # A cluster's own capacity: it scales, and it belongs with its cluster.
  domain    = "container"
  lifecycle = "foundation"
  scaling   = "elastic"
  types     = ["aws_eks_node_group", "aws_ecs_capacity_provider"]
}

class "aws-container-workload" {
  domain    = "container"
  lifecycle = "ephemeral"
  types     = ["aws_ecs_task_definition"]
}

class "aws-container-elastic" {
  domain    = "container"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types     = ["aws_ecs_service", "aws_ecs_task_set"]
}

class "aws-container-registry" {
  domain    = "container"
  lifecycle = "persistent"
  types     = ["aws_ecr_repository", "aws_ecrpublic_repository"]
}

class "aws-container-config" {
  domain    = "container"
  lifecycle = "config"
  types = ["aws_ecs_*", "aws_eks_*", "aws_ecr_*", "aws_ecrpublic_*", "aws_apprunner_*"]
}

class "aws-container-registry-settings" {
  domain    = "container"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types = [
    "aws_ecr_registry_policy", "aws_ecr_registry_scanning_configuration",
    "aws_ecr_replication_configuration", "aws_ecs_account_setting_default",
  ]
}

class "aws-serverless" {
  domain    = "serverless"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types     = ["aws_lambda_function", "aws_apprunner_service", "aws_amplify_app"]
}

class "aws-serverless-workflows" {
  domain    = "serverless"
  lifecycle = "ephemeral"
  types     = ["aws_sfn_state_machine", "aws_sfn_activity", "aws_lambda_layer_version"]
}

class "aws-serverless-edge" {
  domain    = "serverless"
  lifecycle = "foundation"
  types = [
    "aws_api_gateway_rest_api", "aws_apigatewayv2_api", "aws_api_gateway_domain_name",
    "aws_apigatewayv2_domain_name", "aws_api_gateway_vpc_link", "aws_apigatewayv2_vpc_link",
    "aws_appsync_graphql_api",
  ]
}

class "aws-serverless-config" {
  domain    = "serverless"
  lifecycle = "config"
  types = [
    "aws_lambda_*", "aws_api_gateway_*", "aws_apigatewayv2_*", "aws_sfn_*", "aws_amplify_*",
    "aws_serverlessapplicationrepository_*", "aws_appsync_*",
  ]
}

class "aws-serverless-scaling" {
  domain    = "serverless"
  lifecycle = "config"
  scaling   = "elastic"
  types     = ["aws_lambda_provisioned_concurrency_config"]
}

class "aws-serverless-account-settings" {
  # API Gateway's CloudWatch role is one setting per account and region.
  domain    = "serverless"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types     = ["aws_api_gateway_account", "aws_lambda_code_signing_config_account"]
}

class "aws-database" {
  domain    = "database"
  lifecycle = "persistent"
  types = [
    "aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_global_cluster",
    "aws_db_snapshot", "aws_db_cluster_snapshot", "aws_db_instance_automated_backups_replication",
    "aws_dynamodb_table", "aws_dynamodb_global_table", "aws_dynamodb_table_replica",
    "aws_docdb_cluster", "aws_docdb_cluster_instance", "aws_docdb_global_cluster",
    "aws_docdb_elastic_cluster", "aws_neptune_cluster", "aws_neptune_cluster_instance",
    "aws_neptune_global_cluster", "aws_memorydb_cluster", "aws_timestreamwrite_database",
    "aws_timestreamwrite_table", "aws_qldb_ledger", "aws_keyspaces_keyspace", "aws_keyspaces_table",
    "aws_rds_custom_db_engine_version", "aws_lightsail_database",
  ]
}

class "aws-database-config" {
  domain    = "database"
  lifecycle = "config"
  types = [
    "aws_db_*", "aws_rds_*", "aws_dynamodb_*", "aws_docdb_*", "aws_neptune_*", "aws_memorydb_*",
    "aws_timestreamwrite_*", "aws_qldb_*", "aws_keyspaces_*", "aws_dms_*",
  ]
}

class "aws-database-proxy" {
  domain    = "database"
  lifecycle = "ephemeral"
  types     = ["aws_db_proxy", "aws_dms_replication_instance"]
}

class "aws-cache" {
  domain    = "cache"
  lifecycle = "persistent"
  types = [
    "aws_elasticache_cluster", "aws_elasticache_replication_group",
    "aws_elasticache_global_replication_group", "aws_elasticache_serverless_cache",
    "aws_dax_cluster",
  ]
}

class "aws-cache-config" {
  domain    = "cache"
  lifecycle = "config"
  types     = ["aws_elasticache_*", "aws_dax_*"]
}

class "aws-storage" {
  domain    = "storage"
  lifecycle = "persistent"
  types = [
    "aws_s3_bucket", "aws_s3_directory_bucket", "aws_s3control_bucket", "aws_ebs_volume",
    "aws_ebs_snapshot", "aws_ebs_snapshot_copy", "aws_ebs_snapshot_import", "aws_efs_file_system",
    "aws_fsx_*_file_system", "aws_fsx_ontap_volume", "aws_fsx_openzfs_volume", "aws_fsx_backup",
    "aws_backup_vault", "aws_glacier_vault", "aws_storagegateway_*_file_share",
    "aws_storagegateway_*_volume", "aws_s3tables_table_bucket", "aws_s3tables_table",
  ]
}

class "aws-storage-config" {
  domain    = "storage"
  lifecycle = "config"
  types = [
    "aws_s3_bucket_*", "aws_s3_object", "aws_s3_object_copy", "aws_s3_access_point",
    "aws_s3control_*", "aws_s3outposts_*", "aws_s3tables_*", "aws_efs_*", "aws_fsx_*",
    "aws_backup_*", "aws_glacier_*", "aws_storagegateway_*", "aws_datasync_*", "aws_transfer_*",
    "aws_ebs_fast_snapshot_restore", "aws_snapshot_create_volume_permission",
    "aws_dlm_lifecycle_policy", "aws_rbin_*",
  ]
}

class "aws-storage-account-settings" {
  domain    = "storage"
  lifecycle = "config"
  scaling   = "singleton-global"
  types     = ["aws_backup_global_settings", "aws_s3control_storage_lens_configuration"]
}

class "aws-storage-region-settings" {
  domain    = "storage"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types     = ["aws_backup_region_settings"]
}

class "aws-messaging" {
  domain    = "messaging"
  lifecycle = "persistent"
  types = [
    "aws_sqs_queue", "aws_kinesis_stream", "aws_kinesis_video_stream", "aws_msk_cluster",
    "aws_msk_serverless_cluster", "aws_mq_broker",
  ]
}

class "aws-messaging-foundation" {
  domain    = "messaging"
  lifecycle = "foundation"
  types = [
    "aws_sns_topic", "aws_cloudwatch_event_bus", "aws_sesv2_configuration_set", "aws_pinpoint_app",
  ]
}

class "aws-messaging-pipes" {
  domain    = "messaging"
  lifecycle = "ephemeral"
  types     = ["aws_kinesis_firehose_delivery_stream", "aws_pipes_pipe"]
}

class "aws-messaging-config" {
  domain    = "messaging"
  lifecycle = "config"
  types = [
    "aws_sqs_*", "aws_sns_*", "aws_kinesis_*", "aws_msk_*", "aws_mq_*", "aws_cloudwatch_event_*",
    "aws_scheduler_*", "aws_schemas_*", "aws_ses_*", "aws_sesv2_*", "aws_pinpoint_*", "aws_kafka*",
    "aws_iot_*", "aws_chime*", "aws_kinesisvideo_*",
  ]
}

class "aws-messaging-account-settings" {
  domain    = "messaging"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types     = ["aws_sns_sms_preferences", "aws_ses_active_receipt_rule_set", "aws_sesv2_account_*"]
}

class "aws-dns-zone" {
  # Public zones are singletons (refined from the code: private zones and zones whose
  # name comes from a variable are not).
  domain    = "dns"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types     = ["aws_route53_zone"]
}

class "aws-dns-foundation" {
  domain    = "dns"
  lifecycle = "foundation"
  types = [
    "aws_route53_delegation_set", "aws_route53_resolver_endpoint",
    "aws_service_discovery_private_dns_namespace", "aws_service_discovery_public_dns_namespace",
    "aws_service_discovery_http_namespace", "aws_route53recoverycontrolconfig_cluster",
  ]
}

class "aws-dns-domain" {
  domain    = "dns"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types     = ["aws_route53domains_*"]
}

class "aws-dns-config" {
  domain    = "dns"
  lifecycle = "config"
  types = [
    "aws_route53_*", "aws_service_discovery_*", "aws_route53recovery*", "aws_route53profiles_*",
  ]
}

class "aws-cdn" {
  domain    = "cdn"
  lifecycle = "foundation"
  types     = ["aws_cloudfront_distribution", "aws_cloudfront_multitenant_distribution"]
}

class "aws-cdn-config" {
  domain    = "cdn"
  lifecycle = "config"
  types     = ["aws_cloudfront_*"]
}

class "aws-identity" {
  domain    = "identity"
  lifecycle = "config"
  types = [
    "aws_iam_*", "aws_cognito_*", "aws_ram_*", "aws_verifiedpermissions_*", "aws_rolesanywhere_*",
  ]
}

class "aws-identity-directory" {
  domain    = "identity"
  lifecycle = "persistent"
  types     = ["aws_cognito_user_pool", "aws_directory_service_directory"]
}

class "aws-identity-account-settings" {
  domain    = "identity"
  lifecycle = "config"
  scaling   = "singleton-global"
  types = [
    "aws_iam_account_password_policy", "aws_iam_account_alias",
    "aws_iam_security_token_service_preferences", "aws_iam_service_linked_role",
    "aws_account_alternate_contact", "aws_account_primary_contact", "aws_account_region",
    "aws_ram_sharing_with_organization",
  ]
}

class "aws-organization" {
  # Exactly one per organisation: the organisation itself and its delegations.
  domain    = "identity"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types = [
    "aws_organizations_organization", "aws_organizations_delegated_administrator",
    "aws_organizations_resource_policy", "aws_controltower_landing_zone",
    "aws_*_organization_admin_account", "aws_*_organization_configuration",
    "aws_*_delegated_admin_account", "aws_ssoadmin_instance_access_control_attributes",
  ]
}

class "aws-organization-structure" {
  # Organisation-wide, but named: many may exist.
  domain    = "identity"
  lifecycle = "config"
  types = [
    "aws_organizations_*", "aws_ssoadmin_*", "aws_identitystore_*", "aws_controltower_*",
    "aws_*_organization_*",
  ]
}

class "aws-security-keys" {
  domain    = "security"
  lifecycle = "foundation"
  types = [
    "aws_kms_key", "aws_kms_replica_key", "aws_kms_external_key", "aws_acm_certificate",
    "aws_acmpca_certificate_authority", "aws_cloudhsm_v2_cluster",
  ]
}

class "aws-security-secrets" {
  domain    = "security"
  lifecycle = "persistent"
  types     = ["aws_secretsmanager_secret"]
}

class "aws-security-config" {
  domain    = "security"
  lifecycle = "config"
  types = [
    "aws_kms_*", "aws_acm_*", "aws_acmpca_*", "aws_secretsmanager_*", "aws_ssm_parameter",
    "aws_wafv2_*", "aws_waf_*", "aws_wafregional_*", "aws_shield_*", "aws_guardduty_*",
    "aws_securityhub_*", "aws_config_*", "aws_inspector*", "aws_macie2_*", "aws_detective_*",
    "aws_accessanalyzer_*", "aws_fms_*", "aws_auditmanager_*", "aws_securitylake_*",
    "aws_cloudhsm_*", "aws_signer_*", "aws_vpc_block_public_access_*",
  ]
}

class "aws-security-region-settings" {
  # Detectors, recorders and account switches exist once per account and region.
  domain    = "security"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types = [
    "aws_guardduty_detector", "aws_securityhub_account", "aws_config_configuration_recorder",
    "aws_config_configuration_recorder_status", "aws_config_delivery_channel", "aws_macie2_account",
    "aws_detective_graph", "aws_inspector2_enabler", "aws_ebs_encryption_by_default",
    "aws_ebs_default_kms_key", "aws_securitylake_data_lake",
    "aws_auditmanager_account_registration", "aws_vpc_block_public_access_options",
  ]
}

class "aws-security-account-settings" {
  domain    = "security"
  lifecycle = "config"
  scaling   = "singleton-global"
  types = [
    "aws_s3_account_public_access_block", "aws_shield_subscription", "aws_fms_admin_account",
    "aws_shield_proactive_engagement",
  ]
}

class "aws-observability" {
  domain    = "observability"
  lifecycle = "config"
  types = [
    "aws_cloudwatch_*", "aws_flow_log", "aws_xray_*", "aws_cloudtrail", "aws_cloudtrail_*",
    "aws_synthetics_*", "aws_oam_*", "aws_internetmonitor_*", "aws_rum_*", "aws_evidently_*",
    "aws_budgets_*", "aws_ce_*", "aws_cur_*", "aws_applicationinsights_*", "aws_grafana_*",
    "aws_prometheus_*", "aws_devopsguru_*", "aws_health*", "aws_bcmdataexports_*", "aws_chatbot_*",
    "aws_codeguruprofiler_*",
  ]
}

class "aws-observability-stores" {
  domain    = "observability"
  lifecycle = "persistent"
  types = [
    "aws_cloudwatch_log_group", "aws_cloudtrail_event_data_store", "aws_prometheus_workspace",
  ]
}

class "aws-observability-foundation" {
  domain    = "observability"
  lifecycle = "foundation"
  types     = ["aws_grafana_workspace"]
}

class "aws-observability-canary" {
  domain    = "observability"
  lifecycle = "ephemeral"
  types     = ["aws_synthetics_canary"]
}

class "aws-analytics" {
  domain    = "analytics"
  lifecycle = "persistent"
  types = [
    "aws_opensearch_domain", "aws_elasticsearch_domain", "aws_opensearchserverless_collection",
    "aws_redshift_cluster", "aws_redshiftserverless_namespace", "aws_glue_catalog_database",
    "aws_glue_catalog_table", "aws_athena_database", "aws_lakeformation_resource",
    "aws_sagemaker_feature_group", "aws_kendra_index",
  ]
}

class "aws-analytics-compute" {
  domain    = "analytics"
  lifecycle = "ephemeral"
  types = [
    "aws_glue_job", "aws_emr_cluster", "aws_emrserverless_application",
    "aws_kinesisanalyticsv2_application", "aws_kinesis_analytics_application",
    "aws_sagemaker_notebook_instance", "aws_sagemaker_model", "aws_databrew_*",
  ]
}

class "aws-analytics-elastic" {
  domain    = "analytics"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types     = ["aws_sagemaker_endpoint", "aws_redshiftserverless_workgroup"]
}

class "aws-analytics-config" {
  domain    = "analytics"
  lifecycle = "config"
  types = [
    "aws_opensearch_*", "aws_elasticsearch_*", "aws_opensearchserverless_*", "aws_redshift_*",
    "aws_redshiftserverless_*", "aws_glue_*", "aws_athena_*", "aws_emr_*", "aws_emrserverless_*",
    "aws_lakeformation_*", "aws_quicksight_*", "aws_sagemaker_*", "aws_bedrock*", "aws_kendra_*",
    "aws_dataexchange_*", "aws_datazone_*", "aws_comprehend_*", "aws_appflow_*",
    "aws_dataexchange*", "aws_emrcontainers_*", "aws_osis_*", "aws_lex*", "aws_rekognition_*",
    "aws_neptunegraph_*", "aws_finspace_*",
  ]
}

class "aws-analytics-account-settings" {
  domain    = "analytics"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types     = ["aws_lakeformation_data_lake_settings", "aws_quicksight_account_subscription"]
}

class "aws-other" {
  # Delivery tooling and account housekeeping: not part of any service domain.
  domain    = "other"
  lifecycle = "config"
  types = [
    "aws_codebuild_*", "aws_codepipeline*", "aws_codecommit_*", "aws_codedeploy_*",
    "aws_codestarconnections_*", "aws_codestarnotifications_*", "aws_codeartifact_*",
    "aws_servicecatalog_*", "aws_cloudformation_*", "aws_resourcegroups_*", "aws_appconfig_*",
    "aws_resourceexplorer2_*", "aws_servicequotas_*", "aws_ssmcontacts_*", "aws_ssmincidents_*",
    "aws_appintegrations_*", "aws_connect_*", "aws_location_*", "aws_mwaa_*", "aws_transcribe_*",
    "aws_fis_*", "aws_media*", "aws_elastictranscoder_*", "aws_ivs*", "aws_swf_*",
    "aws_devicefarm_*", "aws_resiliencehub_*", "aws_ssmquicksetup_*",
    "aws_cloudcontrolapi_resource",
  ]
}

# ---------------------------------------------------------------------------------
# Google Cloud
# ---------------------------------------------------------------------------------

class "google-network-foundation" {
  domain    = "network"
  lifecycle = "foundation"
  types = [
    "google_compute_network", "google_compute_subnetwork", "google_compute_router",
    "google_compute_router_nat", "google_compute_address", "google_compute_global_address",
    "google_compute_vpn_gateway", "google_compute_ha_vpn_gateway",
    "google_compute_external_vpn_gateway", "google_compute_vpn_tunnel",
    "google_compute_interconnect_attachment", "google_compute_network_peering",
    "google_service_networking_connection", "google_vpc_access_connector",
    "google_compute_forwarding_rule", "google_compute_global_forwarding_rule",
    "google_network_connectivity_hub", "google_compute_service_attachment",
    "google_compute_network_firewall_policy", "google_compute_public_advertised_prefix",
  ]
}

class "google-network-config" {
  domain    = "network"
  lifecycle = "config"
  types = [
    "google_compute_firewall", "google_compute_firewall_policy*",
    "google_compute_network_firewall_policy_*", "google_compute_route", "google_compute_router_*",
    "google_compute_backend_service", "google_compute_region_backend_service",
    "google_compute_url_map", "google_compute_region_url_map", "google_compute_target_*",
    "google_compute_region_target_*", "google_compute_health_check",
    "google_compute_region_health_check", "google_compute_http_health_check",
    "google_compute_https_health_check", "google_compute_network_endpoint*",
    "google_compute_region_network_endpoint*", "google_compute_global_network_endpoint*",
    "google_compute_shared_vpc_service_project", "google_compute_network_peering_routes_config",
    "google_network_connectivity_*", "google_compute_packet_mirroring", "google_network_services_*",
    "google_compute_subnetwork_iam_*", "google_service_networking_*", "google_dns_policy",
    "google_compute_address_*", "google_network_management_*", "google_compute_vpn_*",
    "google_compute_interconnect_*",
  ]
}

class "google-network-host" {
  domain    = "network"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  types     = ["google_compute_shared_vpc_host_project"]
}

class "google-compute" {
  domain    = "compute"
  lifecycle = "ephemeral"
  types = [
    "google_compute_instance", "google_compute_instance_template",
    "google_compute_region_instance_template", "google_compute_instance_from_template",
    "google_compute_instance_from_machine_image", "google_compute_instance_group",
    "google_compute_machine_image", "google_compute_image", "google_compute_node_group",
    "google_compute_reservation",
  ]
}

class "google-compute-elastic" {
  domain    = "compute"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types = [
    "google_compute_instance_group_manager", "google_compute_region_instance_group_manager",
  ]
}

class "google-compute-scaling" {
  domain    = "compute"
  lifecycle = "config"
  scaling   = "elastic"
  types     = ["google_compute_autoscaler", "google_compute_region_autoscaler"]
}

class "google-compute-config" {
  domain    = "compute"
  lifecycle = "config"
  types = [
    "google_compute_*", "google_os_config_*", "google_os_login_*", "google_compute_attached_disk",
    "google_compute_resource_policy", "google_compute_disk_resource_policy_attachment",
    "google_vmwareengine_*", "google_workstations_*",
  ]
}

class "google-compute-project-settings" {
  domain    = "compute"
  lifecycle = "config"
  scaling   = "singleton-global"
  types = ["google_compute_project_metadata", "google_compute_project_default_network_tier"]
}

class "google-storage" {
  domain    = "storage"
  lifecycle = "persistent"
  types = [
    "google_storage_bucket", "google_compute_disk", "google_compute_region_disk",
    "google_compute_snapshot", "google_filestore_instance", "google_filestore_backup",
    "google_netapp_volume", "google_backup_dr_*vault", "google_parallelstore_instance",
  ]
}

class "google-storage-config" {
  domain    = "storage"
  lifecycle = "config"
  types = [
    "google_storage_*", "google_filestore_*", "google_netapp_*", "google_backup_dr_*",
    "google_storage_transfer_*",
  ]
}

class "google-container-foundation" {
  domain    = "container"
  lifecycle = "foundation"
  types = [
    "google_container_cluster", "google_container_aws_cluster", "google_container_azure_cluster",
  ]
}

class "google-container-capacity" {
  domain    = "container"
  lifecycle = "foundation"
  scaling   = "elastic"
  types     = ["google_container_node_pool", "google_container_*_node_pool"]
}

class "google-container-registry" {
  domain    = "container"
  lifecycle = "persistent"
  types     = ["google_artifact_registry_repository", "google_container_registry"]
}

class "google-container-config" {
  domain    = "container"
  lifecycle = "config"
  types = [
    "google_container_*", "google_artifact_registry_*", "google_gke_*", "google_gkeonprem_*",
  ]
}

class "google-serverless" {
  domain    = "serverless"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types = [
    "google_cloudfunctions_function", "google_cloudfunctions2_function", "google_cloud_run_service",
    "google_cloud_run_v2_service", "google_app_engine_standard_app_version",
    "google_app_engine_flexible_app_version",
  ]
}

class "google-serverless-jobs" {
  domain    = "serverless"
  lifecycle = "ephemeral"
  types     = ["google_cloud_run_v2_job", "google_workflows_workflow"]
}

class "google-serverless-config" {
  domain    = "serverless"
  lifecycle = "config"
  types = [
    "google_cloudfunctions*", "google_cloud_run_*", "google_app_engine_*", "google_workflows_*",
    "google_api_gateway_*", "google_endpoints_*", "google_apigee_*",
  ]
}

class "google-app-engine" {
  # One App Engine application per project, and its region can never change.
  domain    = "serverless"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  types     = ["google_app_engine_application"]
}

class "google-database" {
  domain    = "database"
  lifecycle = "persistent"
  types = [
    "google_sql_database_instance", "google_sql_database", "google_spanner_instance",
    "google_spanner_database", "google_bigtable_instance", "google_bigtable_table",
    "google_firestore_database", "google_alloydb_cluster", "google_alloydb_instance",
    "google_firebase_database_instance",
  ]
}

class "google-database-config" {
  domain    = "database"
  lifecycle = "config"
  types = [
    "google_sql_*", "google_spanner_*", "google_bigtable_*", "google_firestore_*",
    "google_alloydb_*", "google_datastore_*", "google_database_migration_service_*",
  ]
}

class "google-cache" {
  domain    = "cache"
  lifecycle = "persistent"
  types = [
    "google_redis_instance", "google_redis_cluster", "google_memcache_instance",
    "google_memorystore_instance",
  ]
}

class "google-cache-config" {
  domain    = "cache"
  lifecycle = "config"
  types     = ["google_redis_*", "google_memcache_*"]
}

class "google-messaging" {
  domain    = "messaging"
  lifecycle = "persistent"
  types     = ["google_pubsub_subscription", "google_cloud_tasks_queue", "google_pubsub_lite_topic"]
}

class "google-messaging-foundation" {
  domain    = "messaging"
  lifecycle = "foundation"
  types     = ["google_pubsub_topic"]
}

class "google-messaging-config" {
  domain    = "messaging"
  lifecycle = "config"
  types = [
    "google_pubsub_*", "google_cloud_tasks_*", "google_eventarc_*", "google_cloud_scheduler_job",
  ]
}

class "google-dns-zone" {
  domain    = "dns"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types     = ["google_dns_managed_zone"]
}

class "google-dns-config" {
  domain    = "dns"
  lifecycle = "config"
  types     = ["google_dns_*", "google_service_directory_*"]
}

class "google-cdn" {
  domain    = "cdn"
  lifecycle = "config"
  types = [
    "google_compute_backend_bucket", "google_compute_backend_bucket_*",
    "google_network_services_edge_cache_*",
  ]
}

class "google-identity" {
  domain    = "identity"
  lifecycle = "config"
  types = [
    "google_service_account", "google_service_account_*", "google_*_iam_member",
    "google_*_iam_binding", "google_*_iam_policy", "google_*_iam_audit_config",
    "google_*_iam_custom_role", "google_iam_*", "google_identity_platform_*",
    "google_project_iam_*", "google_*_iam_member_remove", "google_cloud_identity_*",
  ]
}

class "google-project" {
  domain    = "identity"
  lifecycle = "foundation"
  types     = ["google_project"]
}

class "google-project-config" {
  domain    = "other"
  lifecycle = "config"
  types = [
    "google_project_service", "google_project_services", "google_project_default_service_accounts",
    "google_billing_*", "google_tags_*", "google_essential_contacts_*", "google_resource_manager_*",
    "google_project_usage_export_bucket", "google_cloudbuild_*", "google_cloudbuildv2_*",
    "google_clouddeploy_*", "google_sourcerepo_*", "google_firebase_*", "google_runtimeconfig_*",
    "google_deployment_manager_*", "google_workbench_*", "google_integrations_*",
    "google_securesourcemanager_*", "google_cloud_quotas_*", "google_edgecontainer_*",
  ]
}

class "google-organization" {
  # One per organisation: authoritative IAM policy, organisation policies, the access policy.
  domain    = "identity"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types = [
    "google_organization_iam_policy", "google_organization_iam_audit_config",
    "google_organization_policy", "google_org_policy_policy",
    "google_access_context_manager_access_policy", "google_scc_organization_settings",
  ]
}

class "google-organization-structure" {
  domain    = "identity"
  lifecycle = "config"
  types = [
    "google_folder", "google_folder_*", "google_organization_*", "google_org_policy_*",
    "google_access_context_manager_*", "google_logging_organization_*", "google_logging_folder_*",
    "google_scc_*", "google_billing_account_iam_*", "google_assured_workloads_workload",
  ]
}

class "google-security" {
  domain    = "security"
  lifecycle = "foundation"
  types = [
    "google_kms_key_ring", "google_kms_crypto_key", "google_privateca_ca_pool",
    "google_privateca_certificate_authority",
  ]
}

class "google-security-secrets" {
  domain    = "security"
  lifecycle = "persistent"
  types     = ["google_secret_manager_secret", "google_secret_manager_regional_secret"]
}

class "google-security-config" {
  domain    = "security"
  lifecycle = "config"
  types = [
    "google_kms_*", "google_secret_manager_*", "google_privateca_*", "google_certificate_manager_*",
    "google_compute_security_policy", "google_compute_region_security_policy*",
    "google_compute_ssl_*", "google_compute_managed_ssl_certificate", "google_compute_region_ssl_*",
    "google_iap_*", "google_binary_authorization_attestor", "google_project_organization_policy",
    "google_data_loss_prevention_*", "google_security_scanner_*", "google_recaptcha_*",
    "google_network_security_*", "google_apikeys_key", "google_beyondcorp_*", "google_cloud_ids_*",
  ]
}

class "google-security-project-settings" {
  domain    = "security"
  lifecycle = "config"
  scaling   = "singleton-global"
  types = [
    "google_binary_authorization_policy", "google_iap_brand", "google_kms_autokey_config",
  ]
}

class "google-observability" {
  domain    = "observability"
  lifecycle = "config"
  types = [
    "google_logging_*", "google_monitoring_*", "google_cloud_asset_*", "google_error_reporting_*",
  ]
}

class "google-observability-stores" {
  domain    = "observability"
  lifecycle = "persistent"
  types     = ["google_logging_project_bucket_config"]
}

class "google-analytics" {
  domain    = "analytics"
  lifecycle = "persistent"
  types     = ["google_bigquery_dataset", "google_bigquery_table", "google_dataplex_lake"]
}

class "google-analytics-compute" {
  domain    = "analytics"
  lifecycle = "ephemeral"
  types = [
    "google_dataflow_job", "google_dataflow_flex_template_job", "google_dataproc_job",
    "google_notebooks_instance", "google_vertex_ai_endpoint",
  ]
}

class "google-analytics-elastic" {
  domain    = "analytics"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types     = ["google_dataproc_cluster"]
}

class "google-analytics-foundation" {
  domain    = "analytics"
  lifecycle = "foundation"
  types     = ["google_composer_environment", "google_vertex_ai_dataset", "google_vertex_ai_index"]
}

class "google-analytics-config" {
  domain    = "analytics"
  lifecycle = "config"
  types = [
    "google_bigquery_*", "google_dataflow_*", "google_dataproc_*", "google_composer_*",
    "google_data_catalog_*", "google_dataplex_*", "google_dataform_*", "google_vertex_ai_*",
    "google_notebooks_*", "google_datastream_*", "google_looker_*", "google_document_ai_*",
    "google_dialogflow_*", "google_healthcare_*", "google_discovery_engine_*",
  ]
}

# ---------------------------------------------------------------------------------
# Azure (azurerm, azuread)
# ---------------------------------------------------------------------------------

class "azure-network-foundation" {
  domain    = "network"
  lifecycle = "foundation"
  types = [
    "azurerm_virtual_network", "azurerm_subnet", "azurerm_public_ip", "azurerm_public_ip_prefix",
    "azurerm_nat_gateway", "azurerm_virtual_network_gateway", "azurerm_local_network_gateway",
    "azurerm_express_route_circuit", "azurerm_express_route_gateway", "azurerm_express_route_port",
    "azurerm_virtual_wan", "azurerm_virtual_hub", "azurerm_vpn_gateway",
    "azurerm_point_to_site_vpn_gateway", "azurerm_firewall", "azurerm_bastion_host", "azurerm_lb",
    "azurerm_application_gateway", "azurerm_route_server", "azurerm_route_table",
    "azurerm_private_link_service", "azurerm_network_manager", "azurerm_ip_group",
    "azurerm_custom_ip_prefix",
  ]
}

class "azure-other" {
  # Deployments of ARM templates and services outside the domains above.
  domain    = "other"
  lifecycle = "config"
  types = [
    "azurerm_subscription_template_deployment", "azurerm_management_group_template_deployment",
    "azurerm_tenant_template_deployment", "azurerm_template_deployment",
    "azurerm_managed_application*", "azurerm_media_*", "azurerm_maps_*", "azurerm_chaos_studio_*",
    "azurerm_dev_center*", "azurerm_load_test", "azurerm_orbital_*",
  ]
}

class "azure-network-config" {
  domain    = "network"
  lifecycle = "config"
  types = [
    "azurerm_network_security_group", "azurerm_network_security_rule", "azurerm_subnet_*",
    "azurerm_route", "azurerm_virtual_network_peering",
    "azurerm_virtual_network_gateway_connection", "azurerm_virtual_network_dns_servers",
    "azurerm_virtual_hub_*", "azurerm_vpn_*", "azurerm_express_route_*", "azurerm_lb_*",
    "azurerm_firewall_*", "azurerm_private_endpoint", "azurerm_private_endpoint_*",
    "azurerm_network_interface_*_association", "azurerm_application_security_group",
    "azurerm_nat_gateway_*", "azurerm_public_ip_prefix_*", "azurerm_network_manager_*",
    "azurerm_virtual_network_*", "azurerm_application_gateway_*", "azurerm_route_map",
    "azurerm_route_filter", "azurerm_network_packet_capture", "azurerm_bastion_*",
    "azurerm_network_profile", "azurerm_network_ddos_protection_plan", "azurerm_nginx_*",
    "azurerm_network_function_*", "azurerm_mobile_network*",
  ]
}

class "azure-network-watcher" {
  # Azure keeps one network watcher per subscription and region.
  domain    = "observability"
  lifecycle = "config"
  scaling   = "singleton-global"
  scope     = "region"
  types     = ["azurerm_network_watcher"]
}

class "azure-compute" {
  domain    = "compute"
  lifecycle = "ephemeral"
  types = [
    "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_virtual_machine",
    "azurerm_network_interface", "azurerm_image", "azurerm_shared_image_version",
    "azurerm_dedicated_host", "azurerm_spring_cloud_app", "azurerm_batch_pool",
    "azurerm_virtual_desktop_host_pool",
  ]
}

class "azure-compute-elastic" {
  domain    = "compute"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types = [
    "azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
    "azurerm_virtual_machine_scale_set", "azurerm_orchestrated_virtual_machine_scale_set",
  ]
}

class "azure-compute-scaling" {
  domain    = "compute"
  lifecycle = "config"
  scaling   = "elastic"
  types     = ["azurerm_monitor_autoscale_setting"]
}

class "azure-compute-config" {
  domain    = "compute"
  lifecycle = "config"
  types = [
    "azurerm_virtual_machine_*", "azurerm_availability_set", "azurerm_proximity_placement_group",
    "azurerm_dedicated_host_*", "azurerm_shared_image", "azurerm_shared_image_*",
    "azurerm_gallery_*", "azurerm_ssh_public_key", "azurerm_maintenance_*",
    "azurerm_capacity_reservation*", "azurerm_dev_test_*", "azurerm_batch_*",
    "azurerm_spring_cloud_*", "azurerm_automation_*", "azurerm_virtual_desktop_*",
    "azurerm_managed_disk_sas_token", "azurerm_disk_access", "azurerm_arc_*", "azurerm_vmware_*",
    "azurerm_hybrid_*",
  ]
}

class "azure-container-foundation" {
  domain    = "container"
  lifecycle = "foundation"
  types = [
    "azurerm_kubernetes_cluster", "azurerm_container_app_environment",
    "azurerm_kubernetes_fleet_manager", "azurerm_redhat_openshift_cluster",
  ]
}

class "azure-container-capacity" {
  domain    = "container"
  lifecycle = "foundation"
  scaling   = "elastic"
  types     = ["azurerm_kubernetes_cluster_node_pool"]
}

class "azure-container-workload" {
  domain    = "container"
  lifecycle = "ephemeral"
  types     = ["azurerm_container_group", "azurerm_container_app_job"]
}

class "azure-container-elastic" {
  domain    = "container"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types     = ["azurerm_container_app"]
}

class "azure-container-registry" {
  domain    = "container"
  lifecycle = "persistent"
  types     = ["azurerm_container_registry"]
}

class "azure-container-config" {
  domain    = "container"
  lifecycle = "config"
  types = [
    "azurerm_kubernetes_*", "azurerm_container_registry_*", "azurerm_container_app_*",
    "azurerm_container_connected_registry",
  ]
}

class "azure-serverless" {
  domain    = "serverless"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types = [
    "azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_function_app",
    "azurerm_function_app_flex_consumption", "azurerm_linux_web_app", "azurerm_windows_web_app",
    "azurerm_app_service", "azurerm_*_web_app_slot", "azurerm_*_function_app_slot",
    "azurerm_app_service_slot", "azurerm_function_app_slot",
  ]
}

class "azure-serverless-plan" {
  # App Service plans are the capacity the apps run on: they scale out, and they are
  # shared by the apps placed in them.
  domain    = "serverless"
  lifecycle = "foundation"
  scaling   = "elastic"
  types = [
    "azurerm_service_plan", "azurerm_app_service_plan", "azurerm_app_service_environment*",
  ]
}

class "azure-serverless-edge" {
  domain    = "serverless"
  lifecycle = "foundation"
  types     = ["azurerm_api_management"]
}

class "azure-serverless-config" {
  domain    = "serverless"
  lifecycle = "config"
  types = [
    "azurerm_app_service_*", "azurerm_function_app_*", "azurerm_linux_web_app_*",
    "azurerm_windows_web_app_*", "azurerm_web_app_*", "azurerm_api_management_*",
    "azurerm_logic_app_*", "azurerm_static_site*", "azurerm_static_web_app*",
    "azurerm_source_control_token", "azurerm_api_connection",
  ]
}

class "azure-serverless-workflows" {
  domain    = "serverless"
  lifecycle = "ephemeral"
  types = [
    "azurerm_logic_app_workflow", "azurerm_logic_app_standard", "azurerm_static_web_app",
    "azurerm_static_site",
  ]
}

class "azure-database" {
  domain    = "database"
  lifecycle = "persistent"
  types = [
    "azurerm_mssql_server", "azurerm_mssql_database", "azurerm_mssql_managed_instance",
    "azurerm_mssql_managed_database", "azurerm_mssql_elasticpool", "azurerm_sql_server",
    "azurerm_sql_database", "azurerm_sql_managed_instance", "azurerm_postgresql_server",
    "azurerm_postgresql_database", "azurerm_postgresql_flexible_server",
    "azurerm_postgresql_flexible_server_database", "azurerm_mysql_server", "azurerm_mysql_database",
    "azurerm_mysql_flexible_server", "azurerm_mysql_flexible_database", "azurerm_mariadb_server",
    "azurerm_mariadb_database", "azurerm_cosmosdb_account", "azurerm_cosmosdb_*_database",
    "azurerm_cosmosdb_*_container", "azurerm_cosmosdb_*_collection", "azurerm_cosmosdb_*_keyspace",
    "azurerm_cosmosdb_*_table", "azurerm_cosmosdb_*_graph", "azurerm_cosmosdb_postgresql_cluster",
    "azurerm_storage_table", "azurerm_cosmosdb_table",
  ]
}

class "azure-database-config" {
  domain    = "database"
  lifecycle = "config"
  types = [
    "azurerm_mssql_*", "azurerm_sql_*", "azurerm_postgresql_*", "azurerm_mysql_*",
    "azurerm_mariadb_*", "azurerm_cosmosdb_*", "azurerm_database_migration_*",
  ]
}

class "azure-cache" {
  domain    = "cache"
  lifecycle = "persistent"
  types = [
    "azurerm_redis_cache", "azurerm_redis_enterprise_cluster", "azurerm_redis_enterprise_database",
    "azurerm_managed_redis",
  ]
}

class "azure-cache-config" {
  domain    = "cache"
  lifecycle = "config"
  types     = ["azurerm_redis_*"]
}

class "azure-storage" {
  domain    = "storage"
  lifecycle = "persistent"
  types = [
    "azurerm_storage_account", "azurerm_storage_container", "azurerm_storage_share",
    "azurerm_storage_data_lake_gen2_filesystem", "azurerm_managed_disk", "azurerm_snapshot",
    "azurerm_netapp_volume", "azurerm_recovery_services_vault",
    "azurerm_data_protection_backup_vault", "azurerm_hpc_cache", "azurerm_elastic_san",
    "azurerm_storage_mover",
  ]
}

class "azure-storage-config" {
  domain    = "storage"
  lifecycle = "config"
  types = [
    "azurerm_storage_*", "azurerm_netapp_*", "azurerm_backup_*", "azurerm_data_protection_*",
    "azurerm_recovery_services_*", "azurerm_site_recovery_*",
    "azurerm_virtual_machine_data_disk_attachment", "azurerm_hpc_cache_*", "azurerm_elastic_san_*",
  ]
}

class "azure-messaging" {
  domain    = "messaging"
  lifecycle = "persistent"
  types = [
    "azurerm_servicebus_queue", "azurerm_servicebus_topic", "azurerm_servicebus_subscription",
    "azurerm_eventhub", "azurerm_storage_queue", "azurerm_relay_hybrid_connection",
  ]
}

class "azure-messaging-foundation" {
  domain    = "messaging"
  lifecycle = "foundation"
  types = [
    "azurerm_servicebus_namespace", "azurerm_eventhub_namespace", "azurerm_eventgrid_topic",
    "azurerm_eventgrid_domain", "azurerm_eventgrid_namespace", "azurerm_relay_namespace",
    "azurerm_notification_hub_namespace", "azurerm_signalr_service", "azurerm_web_pubsub",
    "azurerm_communication_service", "azurerm_iothub",
  ]
}

class "azure-messaging-config" {
  domain    = "messaging"
  lifecycle = "config"
  types = [
    "azurerm_servicebus_*", "azurerm_eventhub_*", "azurerm_eventgrid_*", "azurerm_relay_*",
    "azurerm_notification_hub*", "azurerm_signalr_*", "azurerm_web_pubsub_*",
    "azurerm_communication_*", "azurerm_email_communication_*", "azurerm_iothub_*",
  ]
}

class "azure-dns-zone" {
  domain    = "dns"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types     = ["azurerm_dns_zone"]
}

class "azure-dns-foundation" {
  domain    = "dns"
  lifecycle = "foundation"
  types = [
    "azurerm_private_dns_zone", "azurerm_private_dns_resolver", "azurerm_traffic_manager_profile",
  ]
}

class "azure-dns-config" {
  domain    = "dns"
  lifecycle = "config"
  types     = ["azurerm_dns_*", "azurerm_private_dns_*", "azurerm_traffic_manager_*"]
}

class "azure-cdn" {
  domain    = "cdn"
  lifecycle = "foundation"
  types     = ["azurerm_cdn_profile", "azurerm_cdn_frontdoor_profile", "azurerm_frontdoor"]
}

class "azure-cdn-config" {
  domain    = "cdn"
  lifecycle = "config"
  types     = ["azurerm_cdn_*", "azurerm_frontdoor_*"]
}

class "azure-identity" {
  domain    = "identity"
  lifecycle = "config"
  types = [
    "azurerm_role_assignment", "azurerm_role_definition", "azurerm_user_assigned_identity",
    "azurerm_federated_identity_credential", "azurerm_pim_*", "azuread_*",
    "azurerm_role_management_policy", "azurerm_marketplace_role_assignment", "azurerm_lighthouse_*",
  ]
}

class "azure-resource-group" {
  # A resource group is a folder for a stack's resources: it travels with them.
  domain    = "other"
  lifecycle = "config"
  types = [
    "azurerm_resource_group", "azurerm_resource_group_*", "azurerm_resource_provider_registration",
  ]
}

class "azure-organization" {
  # One per tenant.
  domain    = "identity"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types = [
    "azurerm_monitor_aad_diagnostic_setting", "azuread_directory_role",
    "azurerm_tenant_configuration",
  ]
}

class "azure-organization-structure" {
  domain    = "identity"
  lifecycle = "config"
  types = [
    "azurerm_management_group", "azurerm_management_group_*", "azurerm_subscription",
    "azurerm_tenant_*", "azuread_*_settings", "azuread_authentication_strength_policy",
    "azuread_conditional_access_policy", "azuread_named_location",
  ]
}

class "azure-security-foundation" {
  domain    = "security"
  lifecycle = "foundation"
  types = [
    "azurerm_key_vault", "azurerm_key_vault_managed_hardware_security_module",
    "azurerm_disk_encryption_set", "azurerm_ddos_protection_plan",
  ]
}

class "azure-security-config" {
  domain    = "security"
  lifecycle = "config"
  types = [
    "azurerm_key_vault_*", "azurerm_policy_*", "azurerm_*_policy_assignment",
    "azurerm_*_policy_exemption", "azurerm_*_policy_remediation", "azurerm_management_lock",
    "azurerm_advanced_threat_protection", "azurerm_sentinel_*",
    "azurerm_web_application_firewall_policy", "azurerm_security_center_*",
    "azurerm_disk_encryption_set_*", "azurerm_confidential_ledger", "azurerm_attestation_provider",
    "azurerm_app_configuration*",
  ]
}

class "azure-security-subscription-settings" {
  # Defender plans and contacts are one setting per subscription.
  domain    = "security"
  lifecycle = "config"
  scaling   = "singleton-global"
  types = [
    "azurerm_security_center_subscription_pricing", "azurerm_security_center_contact",
    "azurerm_security_center_setting", "azurerm_security_center_auto_provisioning",
    "azurerm_security_center_workspace",
    "azurerm_security_center_server_vulnerability_assessments_setting",
  ]
}

class "azure-observability" {
  domain    = "observability"
  lifecycle = "config"
  types = [
    "azurerm_monitor_*", "azurerm_log_analytics_*", "azurerm_application_insights_*",
    "azurerm_dashboard", "azurerm_portal_dashboard", "azurerm_network_watcher_flow_log",
    "azurerm_dashboard_grafana", "azurerm_dashboard_grafana_*", "azurerm_consumption_budget_*",
    "azurerm_cost_*", "azurerm_network_connection_monitor", "azurerm_logz_*", "azurerm_datadog_*",
  ]
}

class "azure-observability-stores" {
  domain    = "observability"
  lifecycle = "persistent"
  types = [
    "azurerm_log_analytics_workspace", "azurerm_application_insights", "azurerm_monitor_workspace",
  ]
}

class "azure-analytics" {
  domain    = "analytics"
  lifecycle = "persistent"
  types = [
    "azurerm_synapse_workspace", "azurerm_kusto_cluster", "azurerm_kusto_database",
    "azurerm_search_service", "azurerm_synapse_sql_pool",
  ]
}

class "azure-analytics-foundation" {
  domain    = "analytics"
  lifecycle = "foundation"
  types = [
    "azurerm_databricks_workspace", "azurerm_data_factory", "azurerm_cognitive_account",
    "azurerm_machine_learning_workspace", "azurerm_purview_account", "azurerm_powerbi_embedded",
  ]
}

class "azure-analytics-config" {
  domain    = "analytics"
  lifecycle = "config"
  types = [
    "azurerm_databricks_*", "azurerm_data_factory_*", "azurerm_synapse_*", "azurerm_kusto_*",
    "azurerm_stream_analytics_*", "azurerm_search_*", "azurerm_cognitive_*",
    "azurerm_machine_learning_*", "azurerm_purview_*", "azurerm_hdinsight_*", "azurerm_data_share*",
    "azurerm_analysis_services_server", "azurerm_healthcare_*", "azurerm_digital_twins_*",
    "azurerm_bot_*", "azurerm_ai_*",
  ]
}

class "azure-analytics-compute" {
  domain    = "analytics"
  lifecycle = "ephemeral"
  types = [
    "azurerm_stream_analytics_job", "azurerm_hdinsight_*_cluster",
    "azurerm_machine_learning_compute_*",
  ]
}

# ---------------------------------------------------------------------------------
# Kubernetes, Helm and friends
# ---------------------------------------------------------------------------------

class "kubernetes-config" {
  domain    = "container"
  lifecycle = "config"
  types = ["kubernetes_*", "kubectl_*", "kustomization_*", "helm_*", "flux_*", "argocd_*"]
}

class "kubernetes-workload" {
  domain    = "container"
  lifecycle = "ephemeral"
  types = [
    "kubernetes_pod", "kubernetes_pod_v1", "kubernetes_job", "kubernetes_job_v1",
    "kubernetes_cron_job", "kubernetes_cron_job_v1", "kubernetes_daemonset",
    "kubernetes_daemon_set_v1", "helm_release", "argocd_application",
  ]
}

class "kubernetes-elastic" {
  domain    = "container"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types = [
    "kubernetes_deployment", "kubernetes_deployment_v1", "kubernetes_stateful_set",
    "kubernetes_stateful_set_v1", "kubernetes_replication_controller",
    "kubernetes_replication_controller_v1",
  ]
}

class "kubernetes-autoscaler" {
  domain    = "container"
  lifecycle = "config"
  scaling   = "elastic"
  types     = ["kubernetes_horizontal_pod_autoscaler*"]
}

class "kubernetes-storage" {
  domain    = "storage"
  lifecycle = "persistent"
  types = [
    "kubernetes_persistent_volume", "kubernetes_persistent_volume_v1",
    "kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1",
  ]
}

class "kubernetes-storage-config" {
  domain    = "storage"
  lifecycle = "config"
  types     = ["kubernetes_storage_class", "kubernetes_storage_class_v1", "kubernetes_csi_driver*"]
}

class "kubernetes-identity" {
  domain    = "identity"
  lifecycle = "config"
  types = [
    "kubernetes_service_account", "kubernetes_service_account_v1",
    "kubernetes_default_service_account*", "kubernetes_role", "kubernetes_role_v1",
    "kubernetes_role_binding", "kubernetes_role_binding_v1", "kubernetes_cluster_role",
    "kubernetes_cluster_role_v1", "kubernetes_cluster_role_binding",
    "kubernetes_cluster_role_binding_v1", "kubernetes_token_request*",
    "kubernetes_certificate_signing_request*",
  ]
}

class "kubernetes-network" {
  domain    = "network"
  lifecycle = "config"
  types     = ["kubernetes_network_policy", "kubernetes_network_policy_v1"]
}

class "kubernetes-security" {
  domain    = "security"
  lifecycle = "config"
  types     = ["kubernetes_pod_security_policy", "kubernetes_pod_security_policy_v1beta1"]
}

# ---------------------------------------------------------------------------------
# Common providers beyond the big clouds
# ---------------------------------------------------------------------------------

class "utility" {
  # Helpers that create nothing in a cloud.
  domain    = "other"
  lifecycle = "config"
  types = [
    "random_*", "null_resource", "terraform_data", "time_*", "local_file", "local_sensitive_file",
    "archive_file", "external_*", "cloudinit_config", "azurecaf_name", "azurecaf_naming_convention",
    "shell_script", "restapi_object", "http_*",
  ]
}

class "delivery" {
  # CI/CD, source control and Terraform platform settings.
  domain    = "other"
  lifecycle = "config"
  types = [
    "azuredevops_*", "github_*", "gitlab_*", "bitbucket_*", "tfe_*", "spacelift_*", "env0_*",
    "circleci_*", "buildkite_*", "harness_*", "octopusdeploy_*", "jenkins_*",
  ]
}

class "secrets-and-certificates" {
  domain    = "security"
  lifecycle = "config"
  types     = ["tls_*", "vault_*", "acme_*", "onepassword_*", "doppler_*", "sops_*", "hcp_vault_*"]
}

class "identity-providers" {
  domain    = "identity"
  lifecycle = "config"
  types     = ["auth0_*", "okta_*", "keycloak_*", "jumpcloud_*", "onelogin_*", "googleworkspace_*"]
}

class "search-and-logging-stacks" {
  domain    = "analytics"
  lifecycle = "config"
  types     = ["opensearch_*", "elasticsearch_*", "elasticstack_*", "ec_*"]
}

class "monitoring-services" {
  domain    = "observability"
  lifecycle = "config"
  types = [
    "datadog_*", "newrelic_*", "pagerduty_*", "grafana_*", "opsgenie_*", "sentry_*", "statuscake_*",
    "honeycombio_*", "signalfx_*", "splunk_*", "sumologic_*", "logzio_*", "dynatrace_*",
    "uptimerobot_*", "betteruptime_*", "incident_*", "prometheus_*", "lightstep_*", "checkly_*",
  ]
}

class "cloudflare-zone" {
  domain    = "dns"
  lifecycle = "foundation"
  scaling   = "singleton-global"
  scope     = "global"
  types     = ["cloudflare_zone"]
}

class "cloudflare" {
  domain    = "cdn"
  lifecycle = "config"
  types     = ["cloudflare_*", "fastly_*", "akamai_*", "bunnynet_*"]
}

class "dns-services" {
  domain    = "dns"
  lifecycle = "config"
  types = [
    "cloudflare_record", "cloudflare_dns_record", "dnsimple_*", "ns1_*", "powerdns_*", "dns_*",
    "godaddy_*", "namecheap_*", "gandi_*", "ovh_domain_*", "digitalocean_record",
    "digitalocean_domain",
  ]
}

class "managed-databases" {
  domain    = "database"
  lifecycle = "persistent"
  types = [
    "mongodbatlas_cluster", "mongodbatlas_advanced_cluster", "mongodbatlas_serverless_instance",
    "postgresql_database", "mysql_database", "snowflake_database", "cockroach_cluster",
    "digitalocean_database_cluster", "neon_project", "planetscale_database", "supabase_project",
    "aiven_pg", "aiven_mysql",
  ]
}

class "managed-database-config" {
  domain    = "database"
  lifecycle = "config"
  types = [
    "mongodbatlas_*", "postgresql_*", "mysql_*", "mssql_*", "snowflake_*", "cockroach_*",
    "digitalocean_database_*", "neon_*", "planetscale_*",
  ]
}

class "managed-messaging" {
  domain    = "messaging"
  lifecycle = "persistent"
  types     = ["confluent_kafka_topic", "kafka_topic", "rabbitmq_queue", "aiven_kafka_topic"]
}

class "managed-messaging-config" {
  domain    = "messaging"
  lifecycle = "config"
  types = [
    "confluent_*", "kafka_*", "rabbitmq_*", "aiven_kafka*", "twilio_*", "mailgun_*", "sendgrid_*",
  ]
}

class "managed-messaging-foundation" {
  domain    = "messaging"
  lifecycle = "foundation"
  types     = ["confluent_kafka_cluster", "confluent_environment", "aiven_kafka"]
}

class "service-mesh-and-discovery" {
  domain    = "other"
  lifecycle = "config"
  types     = ["consul_*", "nomad_*", "boundary_*", "hcp_*"]
}

class "databricks" {
  domain    = "analytics"
  lifecycle = "config"
  types     = ["databricks_*"]
}

class "databricks-compute" {
  domain    = "analytics"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types     = ["databricks_cluster", "databricks_sql_endpoint", "databricks_instance_pool"]
}

class "other-clouds-compute" {
  domain    = "compute"
  lifecycle = "ephemeral"
  types = [
    "digitalocean_droplet", "hcloud_server", "linode_instance", "vultr_instance",
    "scaleway_instance_server", "oci_core_instance", "vsphere_virtual_machine", "proxmox_vm_qemu",
    "libvirt_domain",
  ]
}

# ---------------------------------------------------------------------------------
# Name fragments, for types no class above knows
# ---------------------------------------------------------------------------------

fallback "identity-fragments" {
  domain    = "identity"
  lifecycle = "config"
  types = [
    "*_iam_*", "*_role", "*_role_*", "*_user", "*_user_*", "*_group_member*", "*_service_account*",
    "*_permission*", "*_identity*", "*_team", "*_team_*", "*_membership*", "*_access_*",
  ]
}

fallback "security-fragments" {
  domain    = "security"
  lifecycle = "config"
  types = [
    "*_secret*", "*_key", "*_key_*", "*_certificate*", "*_waf*", "*_encryption*", "*_kms*",
    "*_vault*",
  ]
}

fallback "observability-fragments" {
  domain    = "observability"
  lifecycle = "config"
  types = [
    "*_alert*", "*_monitor*", "*_dashboard*", "*_log_*", "*_logs_*", "*_metric*", "*_alarm*",
    "*_notification*", "*_slo*",
  ]
}

fallback "database-fragments" {
  domain    = "database"
  lifecycle = "persistent"
  types = [
    "*_database", "*_database_instance", "*_db", "*_db_instance", "*_db_cluster", "*_table",
    "*_postgres*", "*_mysql*", "*_sql_server*",
  ]
}

fallback "database-config-fragments" {
  domain    = "database"
  lifecycle = "config"
  types     = ["*_database_*", "*_db_*", "*_sql_*"]
}

fallback "storage-fragments" {
  domain    = "storage"
  lifecycle = "persistent"
  types = [
    "*_bucket", "*_volume", "*_disk", "*_file_system", "*_filesystem", "*_share", "*_snapshot",
    "*_backup",
  ]
}

fallback "storage-config-fragments" {
  domain    = "storage"
  lifecycle = "config"
  types     = ["*_bucket_*", "*_volume_*", "*_disk_*", "*_storage_*", "*_object"]
}

fallback "cache-fragments" {
  domain    = "cache"
  lifecycle = "persistent"
  types     = ["*_redis*", "*_memcache*", "*_cache"]
}

fallback "messaging-fragments" {
  domain    = "messaging"
  lifecycle = "persistent"
  types     = ["*_queue", "*_topic", "*_stream", "*_kafka*"]
}

fallback "messaging-config-fragments" {
  domain    = "messaging"
  lifecycle = "config"
  types     = ["*_queue_*", "*_topic_*", "*_subscription", "*_event_*", "*_webhook*"]
}

fallback "dns-fragments" {
  domain    = "dns"
  lifecycle = "config"
  types     = ["*_dns_*", "*_record", "*_domain_*"]
}

fallback "dns-zone-fragments" {
  domain    = "dns"
  lifecycle = "foundation"
  types     = ["*_zone", "*_dns_zone"]
}

fallback "cdn-fragments" {
  domain    = "cdn"
  lifecycle = "config"
  types     = ["*_cdn*", "*_edge_*"]
}

fallback "network-fragments" {
  domain    = "network"
  lifecycle = "foundation"
  types = [
    "*_network", "*_vpc", "*_vnet", "*_subnet", "*_gateway", "*_load_balancer", "*_lb",
    "*_firewall", "*_ip", "*_router",
  ]
}

fallback "network-config-fragments" {
  domain    = "network"
  lifecycle = "config"
  types = [
    "*_network_*", "*_vpc_*", "*_subnet_*", "*_firewall_*", "*_route", "*_route_*", "*_lb_*",
    "*_security_group*", "*_peering*",
  ]
}

fallback "container-fragments" {
  domain    = "container"
  lifecycle = "foundation"
  types     = ["*_kubernetes_cluster", "*_k8s_cluster", "*_cluster"]
}

fallback "container-config-fragments" {
  domain    = "container"
  lifecycle = "config"
  types     = ["*_kubernetes_*", "*_k8s_*", "*_container_*", "*_registry*", "*_namespace"]
}

fallback "serverless-fragments" {
  domain    = "serverless"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types     = ["*_function", "*_function_app", "*_app_service"]
}

fallback "compute-fragments" {
  domain    = "compute"
  lifecycle = "ephemeral"
  types     = ["*_instance", "*_server", "*_vm", "*_virtual_machine", "*_droplet", "*_machine"]
}

fallback "compute-elastic-fragments" {
  domain    = "compute"
  lifecycle = "ephemeral"
  scaling   = "elastic"
  types = [
    "*_scale_set", "*_autoscaling_group", "*_instance_pool", "*_node_pool", "*_instance_group",
  ]
}
