import { apiError } from '../../http/errors.js';
import { LOGO_MAX_BYTES, type LogoType } from '@branchwatch/api';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

const refused = (message: string) => apiError(400, 'BW_ERR_LOGO_TYPE', message, { field: 'logo' });

/**
 * What a logo upload is, from its first bytes (its Content-Type only has to agree): PNG or
 * JPEG. SVG is refused, not sanitised: a script or an outside reference inside one would run
 * in the portal's origin, and mail programs and the PDF do not draw it (docs/decisions.md,
 * "Logos: PNG and JPEG only"). The image must also open in the PDF library, which draws it on
 * ticket PDFs: a file that only looks like a PNG is refused here, not at the first PDF.
 */
export async function logoFile(content: Buffer, declared: string): Promise<LogoType> {
  if (content.length === 0) throw refused('logo: the file is empty');
  if (content.length > LOGO_MAX_BYTES)
    throw apiError(400, 'BW_ERR_LOGO_TOO_LARGE', `logo: at most ${LOGO_MAX_BYTES} bytes`, {
      field: 'logo',
    });
  const type: LogoType | null = content.subarray(0, 8).equals(PNG)
    ? 'image/png'
    : content.subarray(0, 3).equals(JPEG)
      ? 'image/jpeg'
      : null;
  const head = content.subarray(0, 512).toString('utf8').toLowerCase();
  if (!type && (declared.includes('svg') || head.includes('<svg')))
    throw refused('logo: SVG is not accepted; send the logo as PNG or JPEG');
  if (!type) throw refused('logo: not a PNG or JPEG image');
  const said = declared.split(';')[0]!.trim().toLowerCase();
  if (said && said !== 'application/octet-stream' && said !== type && said !== 'image/jpg')
    throw refused(`logo: the file is ${type}, not ${said}`);
  try {
    const { default: PDFDocument } = await import('pdfkit');
    // pdfkit's own check of an image (its types leave this method out).
    const pdf = new PDFDocument({ autoFirstPage: false }) as unknown as {
      openImage(source: Buffer): unknown;
    };
    pdf.openImage(content);
  } catch {
    throw refused(
      'logo: the image cannot be read (damaged, or a kind of PNG or JPEG not supported)',
    );
  }
  return type;
}
