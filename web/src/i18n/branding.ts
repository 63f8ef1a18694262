// The strings of Admin → Branding (web/src/admin/BrandingAdmin.tsx), kept in their own file as
// the knowledge base's are; en.ts, fa.ts and fr.ts spread them in.

export const brandingEn = {
  'admin.section.branding': 'Branding',
  'branding.intro':
    'Your product name, logo and colour, shown to your people in the portal, in notification mails and on ticket PDFs.',
  'branding.hubOwn': 'The hub’s default',
  'branding.name': 'Product name',
  'branding.nameHelp': 'Empty: “{fallback}”.',
  'branding.accent': 'Accent colour',
  'branding.accentHelp':
    'Buttons and the mail’s header carry white text on it. Empty: the default.',
  'branding.contrastOk': 'White text on it: {ratio}:1, easy to read.',
  'branding.contrastLow':
    'White text on it: {ratio}:1, too faint. Pick a darker colour (at least 4.5:1).',
  'branding.accentInvalid':
    'Write the colour as # and six digits or letters a–f, for example #0b7285.',
  'branding.save': 'Save',
  'branding.saved': 'Saved. Your people see it the next time they open a page.',
  'branding.logoSaved': 'Logo saved. Your people see it the next time they open a page.',
  'branding.logoRemoved': 'Logo removed.',
  'branding.logo': 'Logo',
  'branding.noLogo': 'No logo of its own.',
  'branding.chooseLogo': 'Choose a logo',
  'branding.removeLogo': 'Remove the logo',
  'branding.preview': 'Preview',
  'branding.previewButton': 'Report a problem',
};

// The logo's help names file types in Latin letters: it is in en.ts, fa.ts and fr.ts, whose
// Persian the browser tests read as the list of intended Latin words.
export type BrandingMessages = Record<keyof typeof brandingEn, string>;

export const brandingFa: BrandingMessages = {
  'admin.section.branding': 'نشان تجاری',
  'branding.intro':
    'نام محصول، نشان‌واره و رنگ شما که افرادتان در درگاه، ایمیل‌های اعلان و PDF تیکت‌ها می‌بینند.',
  'branding.hubOwn': 'پیش‌فرض سامانه',
  'branding.name': 'نام محصول',
  'branding.nameHelp': 'خالی: «{fallback}».',
  'branding.accent': 'رنگ اصلی',
  'branding.accentHelp': 'دکمه‌ها و سرصفحهٔ ایمیل متن سفید روی آن دارند. خالی: رنگ پیش‌فرض.',
  'branding.contrastOk': 'تمایز متن سفید روی آن {ratio} به ۱ است، به‌آسانی خوانا.',
  'branding.contrastLow':
    'تمایز متن سفید روی آن {ratio} به ۱ است، بسیار کم‌رنگ. رنگ تیره‌تری برگزینید (دست‌کم ۴٫۵ به ۱).',
  'branding.accentInvalid': 'رنگ را به شکل # و شش رقم یا حرف لاتین بنویسید.',
  'branding.save': 'ذخیره',
  'branding.saved': 'ذخیره شد. افرادتان دفعهٔ بعد که صفحه‌ای باز کنند آن را می‌بینند.',
  'branding.logoSaved': 'نشان‌واره ذخیره شد. افرادتان دفعهٔ بعد که صفحه‌ای باز کنند آن را می‌بینند.',
  'branding.logoRemoved': 'نشان‌واره حذف شد.',
  'branding.logo': 'نشان‌واره',
  'branding.noLogo': 'نشان‌وارهٔ خودش را ندارد.',
  'branding.chooseLogo': 'انتخاب نشان‌واره',
  'branding.removeLogo': 'حذف نشان‌واره',
  'branding.preview': 'پیش‌نمایش',
  'branding.previewButton': 'گزارش مشکل',
};

export const brandingFr: BrandingMessages = {
  'admin.section.branding': 'Image de marque',
  'branding.intro':
    'Le nom de votre produit, votre logo et votre couleur, montrés à vos équipes dans le portail, les e-mails de notification et les PDF des tickets.',
  'branding.hubOwn': 'Celle du hub, par défaut',
  'branding.name': 'Nom du produit',
  'branding.nameHelp': 'Vide : « {fallback} ».',
  'branding.accent': 'Couleur d’accent',
  'branding.accentHelp':
    'Les boutons et l’en-tête des e-mails y portent du texte blanc. Vide : la couleur par défaut.',
  'branding.contrastOk': 'Texte blanc dessus : {ratio}:1, facile à lire.',
  'branding.contrastLow':
    'Texte blanc dessus : {ratio}:1, trop pâle. Choisissez une couleur plus sombre (au moins 4,5:1).',
  'branding.accentInvalid':
    'Écrivez la couleur avec # et six chiffres ou lettres a–f, par exemple #0b7285.',
  'branding.save': 'Enregistrer',
  'branding.saved': 'Enregistré. Vos équipes le verront à la prochaine page ouverte.',
  'branding.logoSaved': 'Logo enregistré. Vos équipes le verront à la prochaine page ouverte.',
  'branding.logoRemoved': 'Logo retiré.',
  'branding.logo': 'Logo',
  'branding.noLogo': 'Pas de logo propre.',
  'branding.chooseLogo': 'Choisir un logo',
  'branding.removeLogo': 'Retirer le logo',
  'branding.preview': 'Aperçu',
  'branding.previewButton': 'Signaler un problème',
};
