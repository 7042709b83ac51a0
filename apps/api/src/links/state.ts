/**
 * The frozen state of a view (PRODUCT.md §2.9 "Incident links"): its path and URL parameters,
 * with the time range absolute (`from`/`to` in epoch seconds) and auto refresh off, so the
 * link shows the same minutes whenever it is opened.
 */
import { z } from 'zod';

export const FrozenStateSchema = z
  .object({
    path: z
      .string()
      .max(512)
      .regex(/^\/(?!\/)[A-Za-z0-9/_\-.[\]]*$/, 'path: an app path like /requests'),
    params: z
      .record(z.string().max(64), z.string().max(4096))
      .refine((p) => Object.keys(p).length <= 64, 'too many params'),
  })
  .superRefine((s, ctx) => {
    const from = s.params.from;
    const to = s.params.to;
    if (!from || !to || !/^\d{1,11}$/.test(from) || !/^\d{1,11}$/.test(to) || Number(to) <= Number(from))
      ctx.addIssue({
        code: 'custom',
        message: 'freeze the time range first: params from < to (epoch seconds)',
      });
    if (s.path.startsWith('/s/'))
      ctx.addIssue({ code: 'custom', message: 'a link cannot point at another link' });
  })
  .transform((s) => {
    const params = { ...s.params };
    delete params.refresh;
    delete params.range;
    return { path: s.path, params };
  });

export type FrozenState = z.infer<typeof FrozenStateSchema>;
