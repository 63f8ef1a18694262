import type { TicketTextMessages } from './messages.js';
import { TICKET_WORDS } from '../ticket-words.js';

// French puts a no-break space before a colon (NBSP, U+00A0).
const COLON = '\u00a0: ';

const CATEGORY: Record<string, string> = {
  agent: 'l’agent de l’agence hors ligne',
  wan: 'le lien WAN de l’agence',
  icmp: 'une vérification ping',
  tcp: 'une vérification TCP',
  http: 'une vérification HTTP',
  dns: 'une vérification DNS',
  snmp: 'une vérification SNMP',
  sip: 'une vérification SIP',
  voice: 'une vérification de la qualité de la voix',
  onvif: 'une vérification de caméra',
};

const CRITICALITY = { low: 'faible', normal: 'normale', high: 'haute', critical: 'critique' };

export const fr: TicketTextMessages = {
  locale: 'fr',
  units: { d: 'j', h: 'h', min: 'min', s: 's', ms: 'ms', days: 'jours' },
  comma: ', ',
  priority: TICKET_WORDS.fr.priority,
  fields: {
    sent: 'envoyés',
    received: 'reçus',
    loss: 'perte',
    min: 'RTT min',
    median: 'RTT médian',
    p95: 'RTT au 95e centile',
    max: 'RTT max',
    jitter: 'gigue',
    connect: 'temps de connexion',
    total: 'temps total',
    firstByte: 'temps avant le premier octet',
    status: 'statut HTTP',
    mos: 'MOS',
    delay: 'délai',
    driftSeconds: 'dérive d’horloge',
    certDaysLeft: 'jours de validité du certificat',
    resolveMs: 'temps de résolution',
    responseMs: 'temps de réponse',
    latency: 'temps de réponse SIP',
    rttMean: 'RTT moyen',
  },

  checkSubject: (c) => `${c.what} en panne à ${c.branch}`,
  breakGlassSubject: 'Un compte de secours s’est connecté avec un mot de passe',
  ssoCertificateSubject: (provider, expired) =>
    expired
      ? `Le certificat de signature de ${provider} a expiré`
      : `Le certificat de signature de ${provider} expire bientôt`,
  jobSubject: (job) => `La tâche ${job} du hub échoue sans cesse`,
  agentSubject: (agent, branch) =>
    `Agent ${agent} hors ligne à ${branch}${COLON}agence injoignable`,
  branchAgentSubject: (branch) => `${branch} injoignable${COLON}son agent est hors ligne`,

  failingSince: (since, reason) => ['En échec depuis le ', since, COLON, reason, '.'],
  failingAgain: (since, reason) => ['De nouveau en échec depuis le ', since, COLON, reason, '.'],
  noReason: 'sans raison donnée',
  what: (c) => [
    `Quoi${COLON}la vérification `,
    c.type,
    ' ',
    c.key,
    ' vers ',
    c.target,
    c.wan ? ', le lien WAN de l’agence.' : '.',
  ],
  where: (c) => [`Où${COLON}agence `, c.branch, ', agent ', c.agent, '.'],
  lastMeasured: (list) => [`Dernières mesures${COLON}`, ...list, '.'],
  chart: 'Graphique de la panne',
  link: (label, url) => `${label}${COLON}${url}`,
  agentLost: (agent) => [`Quoi${COLON}l’agent `, agent, ' a perdu sa connexion au hub.'],
  agentWhere: (branch) => [`Où${COLON}agence `, branch, '.'],
  agentSince: (since) => [`Depuis${COLON}le `, since, '.'],
  agentAgain: (since) => ['L’agent s’est de nouveau déconnecté le ', since, '.'],
  agentAttached:
    'L’agence ne peut pas être mesurée tant que son agent est absent ; les alertes de ses ' +
    'vérifications sont ajoutées ici.',
  priorityLine: (priority, score, factors) => [
    `Priorité ${priority}, ${score} points${COLON}${factors}.`,
  ],
  priorityChanged: (priority, score, factors) => [
    `Priorité fixée par le hub à ${priority}, ${score} points${COLON}${factors}.`,
  ],
  factor: (words, points) => `${words} (${points})`,
  category: (c) => CATEGORY[c] ?? `une vérification ${c}`,
  criticality: (c) => `une agence d’importance ${CRITICALITY[c]}`,
  repeats: (count, n) =>
    count === 0 ? 'première fois' : count === 1 ? 'rouvert une fois' : `rouvert ${n} fois`,
  children: (count, n) =>
    count === 0
      ? 'rien d’autre touché'
      : count === 1
        ? 'une autre vérification en échec derrière'
        : `${n} autres vérifications en échec derrière`,

  recovered: (at, downtime) => ['Rétabli le ', at, ` après ${downtime} d’interruption.`],
  recoveredSince: (since) => ['En échec depuis le ', since, '.'],
  worst: (list) => [`Pire valeur pendant la panne${COLON}`, ...list, '.'],
  chartOfOutage: 'Graphique de la panne',
  branchUnreachable: (from, to, duration, agent) => [
    'Agence injoignable du ',
    from,
    ' au ',
    to,
    ` (${duration})${COLON}l’agent `,
    agent,
    ' est de nouveau en ligne.',
  ],
  flapping: (count, changes, window, quiet) => [
    `Instable${COLON}${changes} ${count === 1 ? 'changement' : 'changements'} d’état en ` +
      `${window}. Ni nouveau ticket ni résolution automatique tant que la vérification n’est ` +
      `pas restée calme pendant ${quiet}.`,
  ],
  calm: (at) => ['Plus instable (calme depuis le ', at, ').'],
  alsoFailing: (c, since, reason) => [
    `Également en échec derrière cet incident${COLON}`,
    c.key,
    ' (',
    c.type,
    ' ',
    c.target,
    ') depuis le ',
    since,
    COLON,
    reason,
    '. Pas de ticket à part tant que celui-ci est ouvert.',
  ],
  expired: (check, last, allowed) => [
    `Alerte expirée${COLON}aucun résultat de la vérification `,
    check,
    ...(last ? [' depuis le ', last] : [' jusqu’ici']),
    ` (${allowed} autorisés), son rétablissement ne peut donc pas être constaté. La ` +
      'vérification repart de zéro au retour des résultats.',
  ],
  autoResolved: (why) => [
    `Résolu automatiquement${COLON}${
      why === 'check_recovered'
        ? 'la vérification est rétablie'
        : why === 'agent_back'
          ? 'l’agent est de nouveau en ligne'
          : why === 'job_recovered'
            ? 'la tâche réussit de nouveau'
            : why === 'certificate_replaced'
              ? 'le certificat a été remplacé'
              : why === 'finding_cleared'
                ? 'le fournisseur ne le montrait plus'
                : 'l’alerte a expiré'
    } et personne n’avait travaillé sur le ticket.`,
  ],
  staleMissed: (check, ago) => [
    `Pas de données${COLON}`,
    check,
    ago === null
      ? ' a manqué deux tours de suite.'
      : ` a manqué deux tours de suite ; son dernier résultat date d’il y a ${ago}.`,
  ],
  staleAgent: (agent, online) =>
    online
      ? [
          'L’agent ',
          agent,
          ' est connecté mais ne rend pas compte de cette vérification (elle a peut-être été ' +
            'retirée de sa configuration).',
        ]
      : ['L’agent ', agent, ' n’est pas connecté au hub.'],
  staleUnknown: (since) => [
    `Impossible de savoir si la vérification échoue encore${COLON}le ticket reste ouvert, ` +
      'sans être compté en échec ni résolu, jusqu’au retour des résultats (sans données ' +
      'depuis le ',
    since,
    ').',
  ],
  dataBack: (gap, stillFailing) => [
    `Les données sont revenues après ${gap} sans résultat${COLON}${
      stillFailing
        ? 'la vérification échoue toujours.'
        : 'elle rend compte de nouveau ; le ticket suit son état à partir de maintenant.'
    }`,
  ],
  jobFailing: (job, failures, since) => [
    'La tâche du hub ',
    job,
    ` a échoué ${failures} fois de suite (depuis le `,
    since,
    ').',
  ],
  jobTarget: (target, timescaledb) => [
    timescaledb ? 'Tâche de fond de TimescaleDB sur ' : 'Elle porte sur ',
    target,
    '.',
  ],
  jobError: (error) => [`Dernière erreur${COLON}`, error, '.'],
  jobWhat:
    'Tant qu’elle échoue, les graphiques, la rétention ou les notifications prennent du ' +
    'retard. La page d’état du hub montre toutes les tâches\u202f; ce ticket se résout seul quand ' +
    'la tâche réussit de nouveau.',
  jobRecovered: (job, at) => ['La tâche ', job, ' a de nouveau réussi le ', at, '.'],
  breakGlassUsed: (user, at, ip) =>
    ip === null
      ? ['Le compte de secours ', user, ' s’est connecté avec son mot de passe le ', at, '.']
      : [
          'Le compte de secours ',
          user,
          ' s’est connecté avec son mot de passe le ',
          at,
          ' depuis ',
          ip,
          '.',
        ],
  breakGlassWhat:
    'Ce client se connecte par son fournisseur\u00a0: vérifiez que cette connexion était attendue (Administration → Sécurité des connexions).',
  ssoCertificate: (provider, notAfter, expired) =>
    expired
      ? [
          'Le certificat de signature du fournisseur de connexion ',
          provider,
          ' a expiré le ',
          notAfter,
          '.',
        ]
      : [
          'Le certificat de signature du fournisseur de connexion ',
          provider,
          ' expire le ',
          notAfter,
          '.',
        ],
  ssoCertificateWhat:
    "Demandez le nouveau certificat à l'administrateur du fournisseur et collez-le à côté de l'ancien dans Administration → Fournisseurs de connexion ; une fois expiré, personne ne peut se connecter par ce fournisseur. Ce ticket se résout de lui-même quand le certificat est remplacé.",
  ssoCertificateReplaced: (provider, at) => [
    'Le certificat de signature de ',
    provider,
    ' a été remplacé (vu le ',
    at,
    ').',
  ],
  ssoFindingSubject: (finding, provider) =>
    finding === 'sha1'
      ? `Le fournisseur de connexion ${provider} signe en SHA-1`
      : `L'horloge du fournisseur de connexion ${provider} est décalée`,
  ssoSha1: (provider, at, accepted) => [
    'Le fournisseur de connexion ',
    provider,
    ' a signé une réponse en SHA-1 le ',
    at,
    accepted ? ' ; elle a été acceptée, comme son réglage le permet.' : ' ; elle a été refusée.',
  ],
  ssoSha1What:
    "Une signature SHA-1 peut être contrefaite. Demandez à l'administrateur du fournisseur de signer en SHA-256, puis désactivez « Accepter les signatures SHA-1 » dans Administration → Fournisseurs de connexion. Ce ticket se résout de lui-même après un jour sans réponse SHA-1, ou quand ce réglage change.",
  ssoClockSkew: (provider, at, by, ahead) => [
    'Le ',
    at,
    ", l'horloge du fournisseur de connexion ",
    provider,
    ahead
      ? ' avançait de ' + by + ' sur celle du hub.'
      : ' retardait de ' + by + ' sur celle du hub.',
  ],
  ssoClockSkewWhat:
    "Les connexions sont refusées quand les horloges s'écartent plus que leurs réponses ne le permettent. Vérifiez que les serveurs du fournisseur et le hub règlent leur horloge par NTP. Ce ticket se résout de lui-même après un jour sans telle réponse.",
  ssoFindingCleared: (provider, at, why) => [
    why === 'quiet'
      ? 'Aucune réponse du fournisseur de connexion '
      : 'Le réglage SHA-1 du fournisseur de connexion ',
    provider,
    why === 'quiet' ? " ne l'a montré depuis un jour (vu le " : ' a changé (vu le ',
    at,
    ').',
  ],
};
