// The strings of the portal's first-visit tour (web/src/portal/tour/), kept in their own file as
// the knowledge base's are; en.ts, fa.ts and fr.ts spread them in.

export const tourEn = {
  'portal.tour.label': 'Tips for your first visit',
  'portal.tour.progress': 'Tip {n} of {total}',
  'portal.tour.health.title': 'Your branch at a glance',
  'portal.tour.health.text':
    'This card says in plain words whether the internet link and the services of your branch work, and when they were last checked.',
  'portal.tour.known.title': 'Problems the help desk already knows',
  'portal.tour.known.text':
    'When the help desk already knows about a problem at your branch, it is listed here. Follow it to hear when it is fixed, instead of reporting it again.',
  'portal.tour.report.title': 'Something else is wrong?',
  'portal.tour.report.text':
    'The button at the top opens a short form: a few words, what happens, and a photo from your phone if it helps.',
  'portal.tour.notifications.title': 'News about your tickets',
  'portal.tour.notifications.text':
    'The bell at the top counts what is new, and Notifications lists it all: answers from the help desk and changes to the tickets you follow.',
  'portal.tour.next': 'Next',
  'portal.tour.back': 'Back',
  'portal.tour.done': 'Done',
  'portal.tour.skip': 'Skip the tips',
  'portal.profile.tour': 'Show the tips again',
};

export type TourMessages = Record<keyof typeof tourEn, string>;

export const tourFa: TourMessages = {
  'portal.tour.label': 'راهنمای نخستین بازدید',
  'portal.tour.progress': 'نکتهٔ {n} از {total}',
  'portal.tour.health.title': 'شعبهٔ شما در یک نگاه',
  'portal.tour.health.text':
    'این کارت به زبان ساده می‌گوید که اینترنت و سرویس‌های شعبهٔ شما کار می‌کنند یا نه، و آخرین بار کی بررسی شده‌اند.',
  'portal.tour.known.title': 'مشکلاتی که پشتیبانی از آن‌ها خبر دارد',
  'portal.tour.known.text':
    'وقتی پشتیبانی از مشکلی در شعبهٔ شما خبر دارد، این‌جا می‌آید. به‌جای گزارش دوباره، آن را دنبال کنید تا از رفعش باخبر شوید.',
  'portal.tour.report.title': 'مشکل دیگری هست؟',
  'portal.tour.report.text':
    'دکمهٔ بالای صفحه فرم کوتاهی باز می‌کند: چند کلمه، چه اتفاقی می‌افتد، و اگر کمک می‌کند عکسی با گوشی.',
  'portal.tour.notifications.title': 'خبرهای تیکت‌های شما',
  'portal.tour.notifications.text':
    'زنگوله در بالای صفحه شمار خبرهای تازه را نشان می‌دهد و «اعلان‌ها» همه را فهرست می‌کند: پاسخ‌های پشتیبانی و تغییر تیکت‌هایی که دنبال می‌کنید.',
  'portal.tour.next': 'بعدی',
  'portal.tour.back': 'قبلی',
  'portal.tour.done': 'تمام',
  'portal.tour.skip': 'رد کردن راهنما',
  'portal.profile.tour': 'نمایش دوبارهٔ راهنما',
};

export const tourFr: TourMessages = {
  'portal.tour.label': 'Conseils pour votre première visite',
  'portal.tour.progress': 'Conseil {n} sur {total}',
  'portal.tour.health.title': 'Votre agence en un coup d’œil',
  'portal.tour.health.text':
    'Cette carte dit simplement si le lien internet et les services de votre agence fonctionnent, et quand ils ont été vérifiés pour la dernière fois.',
  'portal.tour.known.title': 'Les problèmes déjà connus du support',
  'portal.tour.known.text':
    'Quand le support connaît déjà un problème dans votre agence, il apparaît ici. Suivez-le pour savoir quand il est réglé, au lieu de le signaler à nouveau.',
  'portal.tour.report.title': 'Autre chose ne va pas ?',
  'portal.tour.report.text':
    'Le bouton en haut ouvre un court formulaire : quelques mots, ce qui se passe, et une photo prise avec votre téléphone si cela aide.',
  'portal.tour.notifications.title': 'Les nouvelles de vos tickets',
  'portal.tour.notifications.text':
    'La cloche en haut compte les nouveautés, et Notifications les liste toutes : les réponses du support et les changements des tickets que vous suivez.',
  'portal.tour.next': 'Suivant',
  'portal.tour.back': 'Précédent',
  'portal.tour.done': 'Terminé',
  'portal.tour.skip': 'Passer les conseils',
  'portal.profile.tour': 'Revoir les conseils',
};
