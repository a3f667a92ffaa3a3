// The sentences people read, in French: a whole second catalog, which proves that one can replace the English.
import type { EtnaMessages } from './catalog.js';
import { clock, upperFirst } from './wording.js';

const units = (field: string | undefined) => (field === 'pin' ? 'chiffres' : 'caractères');
const BROKER = "sur le site ou l'application de votre courtier";

/**
 * The French catalog: pass it to the `describe…` functions.
 *
 * @example
 * ```ts
 * describeSessionEnd('expired', frenchMessages); // 'Votre session a expiré. Reconnectez-vous pour continuer.'
 * ```
 */
export const frenchMessages: EtnaMessages = {
  language: 'fr',
  errorTitles: {
    input: 'Vérifiez votre saisie',
    network: 'Pas de connexion',
    timeout: 'Pas de réponse à temps',
    http: 'Erreur du serveur',
    protocol: 'Réponse inattendue',
    appKey: 'Application non acceptée',
    rateLimited: 'Trop de tentatives',
  },
  errors: {
    input: 'Cette valeur ne peut pas être envoyée. Vérifiez votre saisie.',
    network: 'Le serveur est injoignable. Vérifiez votre connexion, puis réessayez.',
    timeout: "Le serveur n'a pas répondu à temps. Réessayez dans un instant.",
    http: (status) =>
      status
        ? `Le serveur n'a pas pu répondre (HTTP ${status}). Réessayez plus tard.`
        : "Le serveur n'a pas pu répondre. Réessayez plus tard.",
    protocol:
      "Le serveur a répondu d'une manière que cette application ne comprend pas. Réessayez plus tard.",
    appKey:
      "Le serveur du courtier n'accepte pas cette application. Votre mot de passe n'est pas en cause : l'application doit être configurée à nouveau.",
    rateLimited: "Il y a eu trop de tentatives. Le serveur demande d'attendre avant la suivante.",
  },
  fields: {
    username: "votre nom d'utilisateur",
    password: 'votre mot de passe',
    pin: 'votre code PIN',
    code: 'le code',
    confirmation: 'le mot de passe répété',
    imageName: 'une image de sécurité',
    personalPhrase: 'votre phrase personnelle',
    answer: 'votre réponse',
  },
  someField: 'cette valeur',
  inputProblems: {
    required: ({ name }) => `Saisissez ${name}.`,
    tooLong: ({ field, name, limit }) => `${upperFirst(name)} dépasse ${limit} ${units(field)}.`,
    tooShort: ({ field, name, limit }) =>
      `${upperFirst(name)} doit comporter au moins ${limit} ${units(field)}.`,
    controlCharacter: ({ name }) =>
      `${upperFirst(name)} contient un saut de ligne ou un autre caractère invisible : retirez ce caractère.`,
    notLatin1: ({ name }) =>
      `${upperFirst(name)} contient un caractère qui ne peut pas être envoyé, comme un emoji ou un chiffre en pleine chasse : retirez ce caractère.`,
    surroundingSpace: ({ field, name }) =>
      field === 'password'
        ? `Votre mot de passe commence ou se termine par une espace, qui ne peut pas être envoyée. Retirez l'espace ; si votre mot de passe en contient vraiment une à cet endroit, changez-le ${BROKER}.`
        : `${upperFirst(name)} commence ou se termine par une espace : retirez-la.`,
    notDigits: ({ name }) => `${upperFirst(name)} ne doit contenir que des chiffres.`,
    leadingZero: ({ name }) => `${upperFirst(name)} ne peut pas commencer par 0.`,
    mismatch: ({ field, name }) =>
      field === 'confirmation'
        ? 'Les deux nouveaux mots de passe ne sont pas identiques. Saisissez deux fois le même mot de passe.'
        : `${upperFirst(name)} ne correspond pas.`,
    notOffered: () => "Choisissez l'une des images de sécurité proposées.",
    otherUser: () =>
      "Une session est ouverte ici avec un autre compte. Déconnectez-vous d'abord pour changer de compte.",
  },
  failureAdvice: {
    rejected: 'Vérifiez votre saisie, puis réessayez.',
    passwordExpired: `Changez votre mot de passe ${BROKER}, puis connectez-vous avec le nouveau.`,
    pinNotInitialized: `Configurez un code PIN de sécurité ${BROKER}, puis reconnectez-vous.`,
    unsupportedStep: `Terminez cette connexion ${BROKER} : cette étape ne peut pas être traitée ici.`,
    resetRefused: `Réinitialisez votre mot de passe ${BROKER}, ou contactez son assistance.`,
  },
  reasons: {
    invalidCredentials: "Le nom d'utilisateur ou le mot de passe est incorrect.",
    expectingCode: 'Saisissez le code reçu par e-mail ou par SMS.',
    corruptedTicket: 'Cette connexion a été interrompue et doit recommencer.',
    invalidPin: 'Ce code PIN est incorrect.',
    passwordExpired: 'Votre mot de passe a expiré et doit être changé.',
    pinNotInitialized: "Aucun code PIN de sécurité n'est encore configuré pour ce compte.",
  },
  steps: {
    credentials: "Nom d'utilisateur et mot de passe",
    securityPin: 'Code PIN de sécurité',
    verificationCode: 'Code de vérification',
  },
  prompts: {
    securityPin: 'Saisissez votre code PIN de sécurité.',
    verificationCode: 'Saisissez le code reçu.',
  },
  waits: {
    retry: (seconds) => `Vous pourrez réessayer dans ${seconds} s.`,
    relogin: (seconds) => `Vous pourrez vous reconnecter dans ${seconds} s.`,
    resend: (seconds) => `Vous pourrez demander un nouveau code dans ${seconds} s.`,
    sessionEnd: (seconds) => `Votre session se termine dans ${clock(seconds)}.`,
  },
  sessionEnds: {
    expired: 'Votre session a expiré. Reconnectez-vous pour continuer.',
    revoked: 'Le serveur a mis fin à votre session. Reconnectez-vous pour continuer.',
    loggedOut: 'Déconnexion effectuée.',
    endedElsewhere: 'Votre session a pris fin dans un autre onglet. Reconnectez-vous pour continuer.',
  },
  busy: {
    authenticating: 'Connexion en cours…',
    'expecting.resendingCode': "Envoi d'un nouveau code…",
    'pinSetup.loadingImages': 'Chargement des images de sécurité…',
    'pinSetup.saving': 'Enregistrement de votre code PIN…',
    'passwordChange.saving': 'Enregistrement de votre nouveau mot de passe…',
    'passwordReset.loadingQuestion': 'Recherche de votre compte…',
    'passwordReset.requestingCode': "Envoi d'un code de réinitialisation…",
    'passwordReset.verifyingCode': 'Vérification du code…',
    'passwordReset.saving': 'Enregistrement de votre nouveau mot de passe…',
    'succeeded.endingSoon.authenticating': 'Reconnexion en cours…',
    loggingOut: 'Déconnexion en cours…',
  },
  notices: {
    restoringSession: 'Restauration de votre session…',
    codeResent: "Un nouveau code a été envoyé. L'ancien code ne fonctionne plus.",
    codeStillWorks: "Aucun nouveau code n'a été envoyé : le code déjà reçu fonctionne toujours.",
    sessionStillWorks: "Votre session actuelle fonctionne jusqu'à sa fin.",
  },
};
