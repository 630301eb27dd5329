// Generated from client/src/sync/schemas.ts by `pnpm gen:checks` (check-gen.ts). Do not edit.
import { isUuid, isUuidV7 } from '@outpost/shared';
const A=(p,k)=>k===undefined?p:[...p,k];
const q=(v)=>JSON.stringify(v);
const isObj=(x)=>typeof x==='object'&&x!==null&&!Array.isArray(x);
function isPlain(o){if(!isObj(o))return false;const c=o.constructor;if(c===undefined||typeof c!=='function')return true;const p=c.prototype;return isObj(p)&&Object.prototype.hasOwnProperty.call(p,'isPrototypeOf')}
const got=(x)=>x===null?'null':Array.isArray(x)?'array':typeof x==='number'&&!Number.isFinite(x)?String(x):typeof x;
function T(I,path,e,x){I.push({code:'invalid_type',expected:e,path,message:'Invalid input: expected '+e+', received '+got(x)})}
function F(I,path,code,message){I.push({code,path,message})}
// A scalar: its type (name and test), then its checks in order — a transform (x=x.trim()), or
// [fails, code or code(x), message, stops the rest].
const V=(t,is,...cs)=>(x,p,k,I)=>{if(!is(x)){T(I,A(p,k),t,x);return x}for(let i=0;i<cs.length;i++){const c=cs[i];if(typeof c==='function')x=c(x);else if(c[0](x)){F(I,A(p,k),typeof c[1]==='function'?c[1](x):c[1],c[2]);if(c[3])break}}return x};
const isStr=(x)=>typeof x==='string';
const isBool=(x)=>typeof x==='boolean';
const trim=(x)=>x.trim();
// A string's length bound; a number bound (>, >=, <, <=).
const L=(big,n)=>[(x)=>big?x.length>n:x.length<n,big?'too_big':'too_small','Too '+(big?'big':'small')+': expected string to have '+(big?'<=':'>=')+n+' characters'];
const B=(big,inc,v)=>[(x)=>!(big?(inc?x<=v:x<v):inc?x>=v:x>v),big?'too_big':'too_small','Too '+(big?'big':'small')+': expected number to be '+(big?'<':'>')+(inc?'=':'')+v];
const SAFE=[(x)=>!Number.isSafeInteger(x),(x)=>Number.isInteger(x)?'too_big':'invalid_type','Invalid input: expected a safe integer',1];
const P=(r,m)=>[(x)=>!r.test(x),'invalid_format',m];
const C=(f,m)=>[(x)=>!f(x),'custom',m];
const E=(...vs)=>(x,p,k,I)=>{if(!vs.includes(x))F(I,A(p,k),'invalid_value','Invalid option: expected one of '+vs.map(q).join('|'));return x};
const any=(x)=>x;
const Nul=(f)=>(x,p,k,I)=>x===null?x:f(x,p,k,I);
const Opt=(f)=>(x,p,k,I)=>x===undefined?x:f(x,p,k,I);
const Arr=(f)=>(x,p,k,I)=>{if(!Array.isArray(x)){T(I,A(p,k),'array',x);return x}const P=A(p,k),o=new Array(x.length);for(let i=0;i<x.length;i++)o[i]=f(x[i],P,i,I);return o};
// A record's keys: what JSON or a structured clone (IndexedDB, BroadcastChannel) gives is own,
// enumerable and strings (a change's clocks, its one use, come off the network).
const Rec=(f)=>(x,p,k,I)=>{if(!isPlain(x)){T(I,A(p,k),'record',x);return x}const P=A(p,k),o={};for(const j of Object.keys(x))if(j!=='__proto__')o[j]=f(x[j],P,j,I);return o};
// A discriminated union: the option of each discriminator value.
const Uni=(d,m)=>(x,p,k,I)=>{if(!isObj(x)){T(I,A(p,k),'object',x);return x}const f=m.get(x[d]);if(f)return f(x,p,k,I);F(I,[...A(p,k),d],'invalid_union','Invalid input: expected '+d+' to be one of '+[...m.keys()].map(q).join('|'));return x};
// An object: its fields as {key: check, or [check] when optional}. A required key's own issue, or
// "nonoptional" when it is absent yet took undefined; an optional key absent is neither checked
// nor written; a strict object reports unknown keys. Its validator carries its keys (keys) and
// makes its partial (every key optional, as z.partial).
const O=(shape,strict)=>{const S=Object.entries(shape).map(([j,f])=>Array.isArray(f)?[j,f[0],1]:[j,f]),has=strict&&new Set(S.map((r)=>r[0]));return Object.assign((x,p,k,I)=>{if(!isObj(x)){T(I,A(p,k),'object',x);return x}const P=A(p,k),o={};for(const[j,f,opt]of S){if(opt){if(j in x)o[j]=f(x[j],P,j,I)}else{const n=I.length,v=f(x[j],P,j,I);if(j in x)o[j]=v;else if(I.length===n)T(I,[...P,j],'nonoptional')}}if(has){const u=[];for(const key in x)if(!has.has(key))u.push(key);if(u.length)I.push({code:'unrecognized_keys',keys:u,path:P,message:'Unrecognized key'+(u.length>1?'s':'')+': '+u.map(q).join(', ')})}return o},{keys:Object.keys(shape),partial:()=>O(Object.fromEntries(S.map(([j,f])=>[j,[Opt(f)]])),strict)})};
function mk(f){return{safeParse(x){const I=[];const data=f(x,[],undefined,I);return I.length?{success:false,error:{issues:I,get message(){return JSON.stringify(I,null,2)}}}:{success:true,data}}}}
const R0=/^\d{15}-[0-9a-z]{5}-[A-Za-z0-9_-]{1,64}$/;
const R1=/^[A-Za-z0-9_-]+$/;
const R2=/^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;
const R3=/^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))$/;
const R4=/^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$/;
const R5=/^(?:[^\x00-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
const R6=/^(?:[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;
const R7=/^(?:19|[2-9]\d)\d\d-/;
const R8=/^osc_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const v0=/* @__PURE__ */V('number',Number.isFinite,SAFE,B(0,1,1),B(1,1,10000));
const v1=any;
const v3=/* @__PURE__ */V('number',Number.isFinite,SAFE,B(0,1,0));
const v4=/* @__PURE__ */V('boolean',isBool);
const v5=/* @__PURE__ */Opt(v3);
const v7=/* @__PURE__ */V('number',Number.isFinite,SAFE,B(0,0,0));
const v8=/* @__PURE__ */V('string',isStr,L(0,1));
const v9=/* @__PURE__ */V('string',isStr,P(R0,"must be a serialized HLC timestamp"));
const v10=/* @__PURE__ */Rec(v9);
const v11=/* @__PURE__ */Nul(v9);
const v12=/* @__PURE__ */V('string',isStr,C(isUuidV7,"must be a UUIDv7"));
const v13=/* @__PURE__ */V('string',isStr,L(0,1),L(1,128),P(R1,"must contain only letters, digits, _ and -"));
const v14=/* @__PURE__ */V('string',isStr,P(R2,"Invalid ISO datetime"));
const v15=/* @__PURE__ */V('string',isStr,trim,L(0,1),L(1,200));
const v17=/* @__PURE__ */E("active","archived");
const v22=/* @__PURE__ */E("todo","doing","done");
const v23=/* @__PURE__ */Nul(v12);
const v31=/* @__PURE__ */O({"id":v12,"orgId":v13,"createdAt":v14,"updatedAt":v14,"version":v3,"email":V('string',isStr,P(R4,"Invalid email address"),L(1,320)),"name":v15,"role":E("admin","manager","member"),"externalId":V('string',isStr,L(0,1),L(1,200))},1);
const v36=/* @__PURE__ */Nul(V('string',isStr,L(1,200)));
const v38=/* @__PURE__ */Opt(v1);
const v39=/* @__PURE__ */V('string',isStr);
const v40=/* @__PURE__ */Opt(v39);
const v41=/* @__PURE__ */V('string',isStr,C(isUuid,"must be a UUID"));
const v42=/* @__PURE__ */Nul(v41);
const v44=/* @__PURE__ */Opt(O({"userId":v23,"clientId":v42},1));
const v53=/* @__PURE__ */Arr(Uni("entity",new Map([["project",O({"entity":any,"seq":v7,"entityId":v8,"clocks":v10,"deleted":v11,"row":O({"id":v12,"orgId":v13,"createdAt":v14,"updatedAt":v14,"version":v3,"name":v15,"description":V('string',isStr,L(1,5000)),"status":v17,"ownerId":v12},1)},1)],["task",O({"entity":any,"seq":v7,"entityId":v8,"clocks":v10,"deleted":v11,"row":O({"id":v12,"orgId":v13,"createdAt":v14,"updatedAt":v14,"version":v3,"projectId":v12,"title":V('string',isStr,trim,L(0,1),L(1,500)),"notes":V('string',isStr,L(1,20000)),"status":v22,"assigneeId":v23,"dueDate":Nul(V('string',isStr,P(R3,"Invalid ISO date")))},1)},1)],["user",O({"entity":any,"seq":v7,"entityId":v8,"clocks":v10,"deleted":v11,"row":v31},1)],["activity",O({"entity":any,"seq":v7,"entityId":v8,"clocks":v10,"deleted":v11,"row":O({"id":v12,"orgId":v13,"createdAt":v14,"updatedAt":v14,"version":v3,"actorId":v23,"action":E("create","update","delete","conflict","rejected","access-denied"),"entity":E("user","project","task","activity","shared-resource"),"entityId":v36,"changes":Arr(O({"field":V('string',isStr,L(0,1),L(1,100)),"from":[v38],"to":[v38],"lost":[v38],"lostHlc":[v40],"wonHlc":[v40],"winner":[v44],"loser":[v44]},1)),"reason":Nul(V('string',isStr,L(1,2000))),"requestId":v36,"clientId":v42,"mutationId":Nul(v7)},1)},1)]])));
const v54=/* @__PURE__ */V('number',Number.isFinite,SAFE,B(0,1,1),B(1,1,9007199254740991));
const v55=/* @__PURE__ */O({"id":v54,"status":any},1);
const v61=/* @__PURE__ */Opt(O({"from":v3,"changes":v53,"activityFloor":v3},1));
const v62=/* @__PURE__ */O({"protocolVersion":v0,"lastMutationId":v3,"results":Arr(Uni("status",new Map([["applied",v55],["duplicate",v55],["rejected",O({"id":v54,"status":any,"code":E("validation","forbidden","not_found"),"reason":v39},1)]]))),"cursor":v3,"echo":[v61]},1);
const v63=/* @__PURE__ */O({"error":v39,"code":v39,"details":[v38]});
const v64=/* @__PURE__ */V('number',Number.isFinite,SAFE);
const v68=/* @__PURE__ */O({"clientVersion":v64,"serverVersion":v64,"minVersion":v64},1);
const v75=/* @__PURE__ */V('number',Number.isFinite);
const v76=/* @__PURE__ */Nul(v75);
const v83=/* @__PURE__ */O({"lastSyncedAt":v76,"lastError":Nul(O({"name":v39,"message":v39,"code":Nul(v39),"at":v75})),"download":Nul(O({"kept":v75,"received":v75,"remaining":v75,"startedAt":v75,"at":v75})),"protocol":E("ok","client_too_old","server_too_old"),"syncing":v4,"failures":v3,"retryAt":v76});
const v100=/* @__PURE__ */O({"name":V('string',isStr,trim,L(0,1),L(1,200),P(R5,"Invalid text: no control characters (tab and line breaks included) or unpaired surrogates")),"description":V('string',isStr,L(1,5000),P(R6,"Invalid text: no control characters other than tab and line breaks, or unpaired surrogates")),"status":v17,"ownerId":v12},1);
const v105=/* @__PURE__ */O({"projectId":v12,"title":V('string',isStr,trim,L(0,1),L(1,500),P(R5,"Invalid text: no control characters (tab and line breaks included) or unpaired surrogates")),"notes":V('string',isStr,L(1,20000),P(R6,"Invalid text: no control characters other than tab and line breaks, or unpaired surrogates")),"status":v22,"assigneeId":v23,"dueDate":Nul(V('string',isStr,P(R3,"Invalid ISO date"),P(R7,"Invalid date: a due date is in the years 1900 to 9999")))},1);
export const check={"pullEnvelope":mk(O({"protocolVersion":v0,"changes":Arr(v1),"cursor":v3,"hasMore":v4,"headCursor":v3,"remaining":[v5],"lastMutationId":v3,"activityFloor":v3,"purgeHorizon":v3,"liveThrough":[v5]},1)),"changes":mk(v53),"pushResponse":mk(v62),"errorBody":mk(v63),"errors":{"BAD_CURSOR":{"status":400,"details":mk(Opt(O({"cursor":v64,"head":v64},1)))},"MUTATION_GAP":{"status":409,"details":mk(O({"expected":v64,"received":v64},1))},"CLIENT_TOO_OLD":{"status":409,"details":mk(v68)},"SERVER_TOO_OLD":{"status":409,"details":mk(v68)},"RESYNC_REQUIRED":{"status":410,"details":mk(O({"cursor":v64,"horizon":v64},1))}},"wsDown":mk(Uni("type",new Map([["welcome",O({"type":any,"cursor":v3,"heartbeatMs":v7},1)],["poke",O({"type":any,"cursor":v3,"carried":[v61]},1)],["pushed",O({"type":any,"n":v3,"response":v62},1)],["push-failed",O({"type":any,"n":v3,"status":v64,"error":v63},1)]]))),"tabMessage":mk(Uni("type",new Map([["status",O({"type":any,"status":v83})],["notice",O({"type":any,"notice":O({"id":v39,"kind":E("rejected","conflict","evicted","quota","update-required","sync-blocked","resynced"),"detail":v1,"at":v75})})],["dismiss",O({"type":any,"id":v39})],["wake",O({"type":any,"urgent":v4,"syncNow":[Opt(v4)]})]]))),"meta":{"clientId":mk(v41),"cursor":mk(v3),"purgeHorizon":mk(v3),"liveThrough":mk(v7),"activityFloor":mk(v3),"lastHlc":mk(v9),"lastMutationId":mk(v3),"leader":mk(O({"tabId":v39,"heartbeatAt":v75,"protocolVersion":[Opt(v75)]})),"lastSyncedAt":mk(v75),"vanished":mk(O({"lastMutationId":v3})),"dismissedNotices":mk(Arr(v39)),"noticesFrom":mk(v3),"evictionNotice":mk(O({"id":v39,"at":v75,"serverLastMutationId":v3,"lostChanges":[v5],"keptChanges":[v5]}))},"sentinel":mk(O({"clientId":v41,"lastMutationId":v3})),"fields":{"project":mk(v100),"task":mk(v105)},"patch":{"project":mk(v100.partial()),"task":mk(v105.partial())},"keys":{"project":v100.keys,"task":v105.keys,"sharedStatus":v83.keys}};
export const stored=/* @__PURE__ */(()=>({"user":mk(v31),"credential":mk(O({"id":v39,"credential":V('string',isStr,P(R8,"Invalid string: must match pattern /^osc_[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$/")),"clientId":v41,"expiresAt":v14},1))}))();
