// Every string the UI shows, in English. Persian and French will be files with the same keys
// (typed `Messages`), so translating never means hunting through components.
// Placeholders are `{name}`; `t()` fills them.

export const en = {
  'app.name': 'Branchwatch',
  'app.loading': 'Loading…',

  'login.title': 'Sign in to Branchwatch',
  'login.subtitle': 'Network watch and helpdesk for your branches',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed',
  'login.required': 'Enter your username and password.',

  'header.logout': 'Log out',
  'header.userRole': '{username} · {role}',
  'header.toDark': 'Switch to dark theme',
  'header.toLight': 'Switch to light theme',

  'overview.branches': 'Branches',
  'overview.refreshFailed': 'Could not refresh',
  'overview.staleSince': 'Showing data from {when}.',
  'overview.updated': 'Updated {when}',
  'overview.loadFailed': 'Could not load the overview',
  'overview.noAgents': 'No agents yet',
  'overview.noAgentsHelp':
    'Create one with POST /api/v1/agents (see README), then start the agent in the branch.',
  'overview.noBranchAgents':
    'No agents in this branch yet — create one with POST /api/v1/agents, see README.',
  'overview.noChecks': 'No checks yet. They appear once the agent sends its first results.',
  'overview.unknownBranch': 'Agents without a known branch',
  'summary.ok': '{n} ok',
  'summary.failing': '{n} failing',
  'summary.unknown': '{n} unknown',

  'agent.online': 'online',
  'agent.offline': 'offline',
  'agent.lastSeen': 'last seen {when}',
  'agent.neverSeen': 'never seen',
  'agent.version': 'v{version}',

  'check.type': 'Type',
  'check.target': 'Target',
  'check.state': 'State',
  'check.result': 'Last result',
  'check.ran': 'Ran',
  'check.stateSince': 'since {when}',

  'state.ok': 'ok',
  'state.failing': 'failing',
  'state.unknown': 'unknown',

  'result.none': 'no result yet',
  'result.failed': 'failed',
  'result.ok': 'ok',
  'result.median': 'median {ms} ms',
  'result.loss': 'loss {percent} %',
  'result.connect': 'connect {ms} ms',
  'result.separator': ' · ',

  'tickets.title': 'Open tickets',
  'tickets.number': '#',
  'tickets.subject': 'Subject',
  'tickets.branch': 'Branch',
  'tickets.check': 'Check',
  'tickets.opened': 'Opened',
  'tickets.state': 'State',
  'tickets.none': 'No open tickets',
  'tickets.noneHelp': 'Tickets open here when a check starts failing.',
  'tickets.loadFailed': 'Could not load the ticket',
  'tickets.priority': 'Priority',
  'tickets.source': 'Source',
  'tickets.events': 'History',
  'tickets.noEvents': 'No events recorded.',
  'tickets.heading': '#{number}',
  'tickets.drawerTitle': 'Ticket',
  'tickets.by': 'by {author}',

  'ticketState.open': 'open',
  'ticketState.in_progress': 'in progress',
  'ticketState.answered': 'answered',
  'ticketState.waiting': 'waiting',
  'ticketState.on_hold': 'on hold',
  'ticketState.resolved': 'resolved',
  'ticketState.closed': 'closed',

  'priority.low': 'low',
  'priority.normal': 'normal',
  'priority.high': 'high',
  'priority.urgent': 'urgent',

  'source.alert': 'alert',
  'source.person': 'person',

  'event.opened': 'Opened',
  'event.note': 'Note',
  'event.recovered': 'Recovered',
  'event.resolved': 'Resolved',
  'event.state': 'State changed',

  'time.justNow': 'just now',
  'time.secondsAgo': '{n} s ago',
  'time.minutesAgo': '{n} min ago',
  'time.hoursAgo': '{n} h ago',
  'time.daysAgo': '{n} d ago',
  'time.unknown': '—',

  'common.none': '—',

  'error.network': 'The hub did not answer. Is it running?',
} as const;

export type MessageKey = keyof typeof en;
/** What every language file must provide. */
export type Messages = Record<MessageKey, string>;
