/**
 * Kafka API keys, the first "flexible" version of each (compact strings/arrays and tagged
 * fields, KIP-482), and where a response carries its top-level error code.
 */

export const API_NAMES: Record<number, string> = {
  0: 'Produce',
  1: 'Fetch',
  2: 'ListOffsets',
  3: 'Metadata',
  4: 'LeaderAndIsr',
  5: 'StopReplica',
  6: 'UpdateMetadata',
  7: 'ControlledShutdown',
  8: 'OffsetCommit',
  9: 'OffsetFetch',
  10: 'FindCoordinator',
  11: 'JoinGroup',
  12: 'Heartbeat',
  13: 'LeaveGroup',
  14: 'SyncGroup',
  15: 'DescribeGroups',
  16: 'ListGroups',
  17: 'SaslHandshake',
  18: 'ApiVersions',
  19: 'CreateTopics',
  20: 'DeleteTopics',
  21: 'DeleteRecords',
  22: 'InitProducerId',
  23: 'OffsetForLeaderEpoch',
  24: 'AddPartitionsToTxn',
  25: 'AddOffsetsToTxn',
  26: 'EndTxn',
  27: 'WriteTxnMarkers',
  28: 'TxnOffsetCommit',
  29: 'DescribeAcls',
  30: 'CreateAcls',
  31: 'DeleteAcls',
  32: 'DescribeConfigs',
  33: 'AlterConfigs',
  34: 'AlterReplicaLogDirs',
  35: 'DescribeLogDirs',
  36: 'SaslAuthenticate',
  37: 'CreatePartitions',
  38: 'CreateDelegationToken',
  39: 'RenewDelegationToken',
  40: 'ExpireDelegationToken',
  41: 'DescribeDelegationToken',
  42: 'DeleteGroups',
  43: 'ElectLeaders',
  44: 'IncrementalAlterConfigs',
  45: 'AlterPartitionReassignments',
  46: 'ListPartitionReassignments',
  47: 'OffsetDelete',
  48: 'DescribeClientQuotas',
  49: 'AlterClientQuotas',
  50: 'DescribeUserScramCredentials',
  51: 'AlterUserScramCredentials',
  60: 'DescribeCluster',
  61: 'DescribeProducers',
  65: 'DescribeTransactions',
  66: 'ListTransactions',
  68: 'ConsumerGroupHeartbeat',
  69: 'ConsumerGroupDescribe',
  71: 'GetTelemetrySubscriptions',
  72: 'PushTelemetry',
};

export const MAX_API_VERSION = 20;

const FLEXIBLE_FROM: Record<number, number> = {
  0: 9,
  1: 12,
  2: 6,
  3: 9,
  8: 8,
  9: 6,
  10: 3,
  11: 6,
  12: 4,
  13: 4,
  14: 4,
  15: 5,
  16: 3,
  18: 3,
  19: 5,
  20: 4,
  22: 2,
  32: 4,
  36: 2,
  42: 2,
  60: 0,
  68: 0,
  69: 0,
  71: 0,
  72: 0,
};

export const isFlexible = (apiKey: number, version: number): boolean => {
  const from = FLEXIBLE_FROM[apiKey];
  return from !== undefined && version >= from;
};

/**
 * Where the response's top-level error code sits: 'first' (right after the header),
 * 'throttle' (after throttle_time_ms), or undefined when it has none (per-partition).
 */
export function errorLayout(apiKey: number, version: number): 'first' | 'throttle' | undefined {
  switch (apiKey) {
    case 18:
      return 'first';
    case 1:
      return version >= 7 ? 'throttle' : undefined;
    case 10:
      return version === 0 ? 'first' : version < 4 ? 'throttle' : undefined;
    case 11:
      return version < 2 ? 'first' : 'throttle';
    case 12:
    case 13:
    case 14:
      return version === 0 ? 'first' : 'throttle';
    case 22:
    case 36:
    case 60:
    case 68:
    case 71:
    case 72:
      return apiKey === 36 ? 'first' : 'throttle';
    case 16:
      return version === 0 ? 'first' : 'throttle';
    case 17:
      return 'first';
    default:
      return undefined;
  }
}
