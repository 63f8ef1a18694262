// What each refusal of the hub means, by its stable code (`BW_ERR_*`, docs/api.md), for readers
// of another language than the hub's English (common/describeError.ts). Every code the hub can
// send has words here in the three languages (hubErrors.test.ts reads the hub's sources).
// en.ts, fa.ts and fr.ts spread them in.

export const hubErrorsEn = {
  'error.code.BW_ERR_ACCENT_CONTRAST':
    'White text on this colour is too faint to read. Pick a darker colour.',
  'error.code.BW_ERR_ACCOUNT_DISABLED': 'This account is disabled. Ask an administrator.',
  'error.code.BW_ERR_ALERT_STILL_FAILING':
    'The check is still failing. Say why you close its ticket anyway.',
  'error.code.BW_ERR_ARTICLE_NOT_FOUND': 'This article does not exist (any more).',
  'error.code.BW_ERR_ATTACHMENT_INFECTED':
    'The malware scanner found something in this file, so it was not attached.',
  'error.code.BW_ERR_ATTACHMENT_NOT_MOVED':
    'This file is still kept by an older hub. It can be read once that hub has started again.',
  'error.code.BW_ERR_ATTACHMENT_TOO_LARGE': 'This file is too large to attach.',
  'error.code.BW_ERR_ATTACHMENT_TYPE': 'Files of this type cannot be attached.',
  'error.code.BW_ERR_BAD_CREDENTIALS': 'Wrong username or password.',
  'error.code.BW_ERR_BRANCH_IN_USE':
    'This branch still has agents, open tickets or people. Move or remove them first.',
  'error.code.BW_ERR_BRANCH_NOT_FOUND': 'This branch does not exist (any more).',
  'error.code.BW_ERR_CONFLICT':
    'This cannot be done now: something changed or was done already. Reload the page and try again.',
  'error.code.BW_ERR_CSRF': 'The page is out of date. Reload it and try again.',
  'error.code.BW_ERR_DATABASE_UNAVAILABLE':
    'The hub cannot reach its database right now. Try again in a moment.',
  'error.code.BW_ERR_DIRECTORY_UNAVAILABLE':
    'Your organisation’s directory does not answer. Try again later or ask an administrator.',
  'error.code.BW_ERR_DOMAIN_TAKEN': 'Another sign-in provider already uses one of these domains.',
  'error.code.BW_ERR_FILE_IN_USE':
    'The text still shows this file. Take it out of the text and save before removing it.',
  'error.code.BW_ERR_FORBIDDEN':
    'Your role does not allow this. Ask an administrator of your organisation if you need it.',
  'error.code.BW_ERR_INTERNAL':
    'Something went wrong on the hub. Try again; if it happens again, tell an administrator.',
  'error.code.BW_ERR_LOGO_TOO_LARGE': 'This logo is too large: at most 256 KB.',
  'error.code.BW_ERR_LOGO_TYPE': 'The logo must be a PNG or JPEG image.',
  'error.code.BW_ERR_MFA_INVALID': 'Wrong code, or a code used already.',
  'error.code.BW_ERR_MFA_TICKET': 'Signing in took too long. Sign in again.',
  'error.code.BW_ERR_NOT_FOUND': 'This does not exist (any more).',
  'error.code.BW_ERR_NOT_RESOLVED': 'You can rate a ticket once it is solved.',
  'error.code.BW_ERR_PASSWORD_POLICY':
    'This password does not meet your organisation’s password policy.',
  'error.code.BW_ERR_RATE_LIMITED': 'Too many tries in a short time. Wait a moment and try again.',
  'error.code.BW_ERR_REOPEN_WINDOW': 'Too late to reopen it: report a new problem instead.',
  'error.code.BW_ERR_SCANNER_UNAVAILABLE':
    'Files cannot be attached right now: the malware scanner does not answer.',
  'error.code.BW_ERR_SSO_FAILED':
    'Signing in through your organisation’s provider did not work. Try again or ask an administrator.',
  'error.code.BW_ERR_SSO_NO_ROLE':
    'Your directory groups give you no access here; ask an administrator.',
  'error.code.BW_ERR_SSO_REFUSED':
    'Your organisation’s sign-in is not linked to an account here. Ask an administrator.',
  'error.code.BW_ERR_SSO_REQUIRED':
    'Your organisation signs in through its own provider: use its button or your work e-mail.',
  'error.code.BW_ERR_TENANT_IN_USE':
    'This client still has branches, people or tickets, or is the hub’s own. It cannot be removed.',
  'error.code.BW_ERR_TENANT_NOT_FOUND': 'This client does not exist (any more).',
  'error.code.BW_ERR_TICKET_CHANGED':
    'Someone changed this ticket meanwhile. Read it again and repeat your change.',
  'error.code.BW_ERR_TICKET_NOT_FOUND': 'This ticket does not exist (any more).',
  'error.code.BW_ERR_TICKET_TRANSITION': 'A ticket in this state cannot move to that one.',
  'error.code.BW_ERR_TIMEOUT': 'This took too long. Try again.',
  'error.code.BW_ERR_TOO_MANY_UPLOADS':
    'Too many files on their way at once. Wait for one to finish.',
  'error.code.BW_ERR_UNAUTHENTICATED': 'You are signed out. Sign in again.',
  'error.code.BW_ERR_VALIDATION': 'Something entered was not accepted. Check the marked field.',
};

export const hubErrorsFa: typeof hubErrorsEn = {
  'error.code.BW_ERR_ACCENT_CONTRAST':
    'نوشتهٔ سفید روی این رنگ کم‌رنگ است و خوانده نمی‌شود. رنگ تیره‌تری برگزینید.',
  'error.code.BW_ERR_ACCOUNT_DISABLED': 'این حساب غیرفعال است. از یک مدیر بپرسید.',
  'error.code.BW_ERR_ALERT_STILL_FAILING':
    'این بررسی هنوز خطا دارد. بنویسید چرا تیکتش را با این حال می‌بندید.',
  'error.code.BW_ERR_ARTICLE_NOT_FOUND': 'این مقاله وجود ندارد (یا دیگر وجود ندارد).',
  'error.code.BW_ERR_ATTACHMENT_INFECTED': 'ضدبدافزار در این پرونده چیزی یافت، پس پیوست نشد.',
  'error.code.BW_ERR_ATTACHMENT_NOT_MOVED':
    'این پرونده هنوز نزد هاب قدیمی‌تری است. وقتی آن هاب دوباره راه بیفتد خواندنی می‌شود.',
  'error.code.BW_ERR_ATTACHMENT_TOO_LARGE': 'این پرونده برای پیوست بیش از اندازه بزرگ است.',
  'error.code.BW_ERR_ATTACHMENT_TYPE': 'پرونده‌هایی از این نوع پیوست نمی‌شوند.',
  'error.code.BW_ERR_BAD_CREDENTIALS': 'نام کاربری یا گذرواژه نادرست است.',
  'error.code.BW_ERR_BRANCH_IN_USE':
    'این شعبه هنوز عامل، تیکت باز یا کاربر دارد. نخست آن‌ها را جابه‌جا یا حذف کنید.',
  'error.code.BW_ERR_BRANCH_NOT_FOUND': 'این شعبه وجود ندارد (یا دیگر وجود ندارد).',
  'error.code.BW_ERR_CONFLICT':
    'اکنون نمی‌شود: چیزی تغییر کرده یا پیش‌تر انجام شده است. صفحه را دوباره بارگذاری کنید و باز بکوشید.',
  'error.code.BW_ERR_CSRF': 'صفحه کهنه شده است. دوباره بارگذاری‌اش کنید و باز بکوشید.',
  'error.code.BW_ERR_DATABASE_UNAVAILABLE':
    'هاب اکنون به پایگاه داده‌اش دسترسی ندارد. کمی بعد دوباره بکوشید.',
  'error.code.BW_ERR_DIRECTORY_UNAVAILABLE':
    'فهرست کاربران سازمان شما پاسخ نمی‌دهد. بعداً دوباره بکوشید یا از یک مدیر بپرسید.',
  'error.code.BW_ERR_DOMAIN_TAKEN': 'یکی از این دامنه‌ها را ارائه‌دهندهٔ ورود دیگری به کار می‌برد.',
  'error.code.BW_ERR_FILE_IN_USE':
    'متن هنوز این پرونده را نشان می‌دهد. پیش از حذف، آن را از متن بردارید و ذخیره کنید.',
  'error.code.BW_ERR_FORBIDDEN':
    'نقش شما اجازهٔ این کار را نمی‌دهد. اگر لازم دارید، از یک مدیر سازمانتان بخواهید.',
  'error.code.BW_ERR_INTERNAL':
    'در هاب خطایی رخ داد. دوباره بکوشید؛ اگر باز رخ داد، به یک مدیر بگویید.',
  'error.code.BW_ERR_LOGO_TOO_LARGE': 'این نشان بیش از اندازه بزرگ است: حداکثر ۲۵۶ کیلوبایت.',
  'error.code.BW_ERR_LOGO_TYPE': 'نشان باید تصویر PNG یا JPEG باشد.',
  'error.code.BW_ERR_MFA_INVALID': 'کد نادرست است یا پیش‌تر به کار رفته است.',
  'error.code.BW_ERR_MFA_TICKET': 'ورود بیش از اندازه طول کشید. دوباره وارد شوید.',
  'error.code.BW_ERR_NOT_FOUND': 'این مورد وجود ندارد (یا دیگر وجود ندارد).',
  'error.code.BW_ERR_NOT_RESOLVED': 'وقتی تیکت حل شد می‌توانید به آن امتیاز دهید.',
  'error.code.BW_ERR_PASSWORD_POLICY': 'این گذرواژه با سیاست گذرواژهٔ سازمان شما جور نیست.',
  'error.code.BW_ERR_RATE_LIMITED':
    'در زمانی کوتاه بیش از اندازه تلاش شد. کمی صبر کنید و دوباره بکوشید.',
  'error.code.BW_ERR_REOPEN_WINDOW':
    'برای بازگشایی دیر شده است: به جای آن، مشکل تازه‌ای گزارش کنید.',
  'error.code.BW_ERR_SCANNER_UNAVAILABLE':
    'اکنون نمی‌توان پرونده پیوست کرد: ضدبدافزار پاسخ نمی‌دهد.',
  'error.code.BW_ERR_SSO_FAILED':
    'ورود از راه ارائه‌دهندهٔ سازمان شما انجام نشد. دوباره بکوشید یا از یک مدیر بپرسید.',
  'error.code.BW_ERR_SSO_NO_ROLE':
    'گروه‌های شما در فهرست کاربران، دسترسی‌ای در اینجا نمی‌دهند؛ از یک مدیر بپرسید.',
  'error.code.BW_ERR_SSO_REFUSED':
    'ورود سازمان شما به حسابی در اینجا پیوند نخورده است. از یک مدیر بپرسید.',
  'error.code.BW_ERR_SSO_REQUIRED':
    'سازمان شما از راه ارائه‌دهندهٔ خودش وارد می‌شود: دکمهٔ آن یا ایمیل کاری‌تان را به کار ببرید.',
  'error.code.BW_ERR_TENANT_IN_USE':
    'این مستأجر هنوز شعبه، کاربر یا تیکت دارد، یا مستأجر خود هاب است. نمی‌توان حذفش کرد.',
  'error.code.BW_ERR_TENANT_NOT_FOUND': 'این مستأجر وجود ندارد (یا دیگر وجود ندارد).',
  'error.code.BW_ERR_TICKET_CHANGED':
    'کسی در این میان این تیکت را تغییر داد. دوباره بخوانیدش و تغییرتان را تکرار کنید.',
  'error.code.BW_ERR_TICKET_NOT_FOUND': 'این تیکت وجود ندارد (یا دیگر وجود ندارد).',
  'error.code.BW_ERR_TICKET_TRANSITION': 'تیکتی در این وضعیت نمی‌تواند به آن وضعیت برود.',
  'error.code.BW_ERR_TIMEOUT': 'بیش از اندازه طول کشید. دوباره بکوشید.',
  'error.code.BW_ERR_TOO_MANY_UPLOADS':
    'پرونده‌های بسیاری هم‌زمان در راه‌اند. صبر کنید تا یکی تمام شود.',
  'error.code.BW_ERR_UNAUTHENTICATED': 'از حساب بیرون آمده‌اید. دوباره وارد شوید.',
  'error.code.BW_ERR_VALIDATION': 'چیزی که وارد شد پذیرفته نشد. خانهٔ نشان‌دارشده را بررسی کنید.',
};

export const hubErrorsFr: typeof hubErrorsEn = {
  'error.code.BW_ERR_ACCENT_CONTRAST':
    'Un texte blanc sur cette couleur est trop pâle pour être lu. Choisissez une couleur plus foncée.',
  'error.code.BW_ERR_ACCOUNT_DISABLED':
    'Ce compte est désactivé. Adressez-vous à un administrateur.',
  'error.code.BW_ERR_ALERT_STILL_FAILING':
    'La vérification échoue toujours. Dites pourquoi vous fermez quand même son ticket.',
  'error.code.BW_ERR_ARTICLE_NOT_FOUND': "Cet article n'existe pas (ou plus).",
  'error.code.BW_ERR_ATTACHMENT_INFECTED':
    "L'antivirus a trouvé quelque chose dans ce fichier : il n'a pas été joint.",
  'error.code.BW_ERR_ATTACHMENT_NOT_MOVED':
    'Ce fichier est encore gardé par un hub plus ancien. Il sera lisible quand ce hub aura redémarré.',
  'error.code.BW_ERR_ATTACHMENT_TOO_LARGE': 'Ce fichier est trop volumineux pour être joint.',
  'error.code.BW_ERR_ATTACHMENT_TYPE': 'Les fichiers de ce type ne peuvent pas être joints.',
  'error.code.BW_ERR_BAD_CREDENTIALS': "Nom d'utilisateur ou mot de passe incorrect.",
  'error.code.BW_ERR_BRANCH_IN_USE':
    "Cette agence a encore des agents, des tickets ouverts ou des personnes. Déplacez-les ou supprimez-les d'abord.",
  'error.code.BW_ERR_BRANCH_NOT_FOUND': "Cette agence n'existe pas (ou plus).",
  'error.code.BW_ERR_CONFLICT':
    'Impossible pour le moment : quelque chose a changé ou a déjà été fait. Rechargez la page et réessayez.',
  'error.code.BW_ERR_CSRF': "La page n'est plus à jour. Rechargez-la et réessayez.",
  'error.code.BW_ERR_DATABASE_UNAVAILABLE':
    'Le hub ne joint pas sa base de données pour le moment. Réessayez dans un instant.',
  'error.code.BW_ERR_DIRECTORY_UNAVAILABLE':
    "L'annuaire de votre organisation ne répond pas. Réessayez plus tard ou adressez-vous à un administrateur.",
  'error.code.BW_ERR_DOMAIN_TAKEN':
    "Un autre fournisseur d'identité utilise déjà l'un de ces domaines.",
  'error.code.BW_ERR_FILE_IN_USE':
    'Le texte montre encore ce fichier. Retirez-le du texte et enregistrez avant de le supprimer.',
  'error.code.BW_ERR_FORBIDDEN':
    'Votre rôle ne le permet pas. Demandez-le à un administrateur de votre organisation si vous en avez besoin.',
  'error.code.BW_ERR_INTERNAL':
    "Une erreur s'est produite sur le hub. Réessayez ; si cela se reproduit, prévenez un administrateur.",
  'error.code.BW_ERR_LOGO_TOO_LARGE': 'Ce logo est trop volumineux : 256 Ko au plus.',
  'error.code.BW_ERR_LOGO_TYPE': 'Le logo doit être une image PNG ou JPEG.',
  'error.code.BW_ERR_MFA_INVALID': 'Code incorrect, ou déjà utilisé.',
  'error.code.BW_ERR_MFA_TICKET': 'La connexion a pris trop de temps. Reconnectez-vous.',
  'error.code.BW_ERR_NOT_FOUND': "Cet élément n'existe pas (ou plus).",
  'error.code.BW_ERR_NOT_RESOLVED': 'Vous pourrez noter le ticket une fois résolu.',
  'error.code.BW_ERR_PASSWORD_POLICY':
    'Ce mot de passe ne respecte pas la politique de mots de passe de votre organisation.',
  'error.code.BW_ERR_RATE_LIMITED':
    'Trop de tentatives en peu de temps. Patientez un instant et réessayez.',
  'error.code.BW_ERR_REOPEN_WINDOW':
    'Trop tard pour le rouvrir : signalez plutôt un nouveau problème.',
  'error.code.BW_ERR_SCANNER_UNAVAILABLE':
    "Impossible de joindre des fichiers pour le moment : l'antivirus ne répond pas.",
  'error.code.BW_ERR_SSO_FAILED':
    "La connexion par le fournisseur de votre organisation n'a pas abouti. Réessayez ou adressez-vous à un administrateur.",
  'error.code.BW_ERR_SSO_NO_ROLE':
    "Vos groupes de l'annuaire ne vous donnent aucun accès ici ; adressez-vous à un administrateur.",
  'error.code.BW_ERR_SSO_REFUSED':
    "La connexion de votre organisation n'est liée à aucun compte ici. Adressez-vous à un administrateur.",
  'error.code.BW_ERR_SSO_REQUIRED':
    'Votre organisation se connecte par son propre fournisseur : utilisez son bouton ou votre e-mail professionnel.',
  'error.code.BW_ERR_TENANT_IN_USE':
    "Ce client a encore des agences, des personnes ou des tickets, ou c'est celui du hub. Il ne peut pas être supprimé.",
  'error.code.BW_ERR_TENANT_NOT_FOUND': "Ce client n'existe pas (ou plus).",
  'error.code.BW_ERR_TICKET_CHANGED':
    "Quelqu'un a modifié ce ticket entre-temps. Relisez-le et refaites votre modification.",
  'error.code.BW_ERR_TICKET_NOT_FOUND': "Ce ticket n'existe pas (ou plus).",
  'error.code.BW_ERR_TICKET_TRANSITION': 'Un ticket dans cet état ne peut pas passer à celui-là.',
  'error.code.BW_ERR_TIMEOUT': 'Cela a pris trop de temps. Réessayez.',
  'error.code.BW_ERR_TOO_MANY_UPLOADS':
    "Trop de fichiers en cours d'envoi à la fois. Attendez qu'un envoi se termine.",
  'error.code.BW_ERR_UNAUTHENTICATED': 'Vous êtes déconnecté. Reconnectez-vous.',
  'error.code.BW_ERR_VALIDATION': "Une saisie n'a pas été acceptée. Vérifiez le champ signalé.",
};
